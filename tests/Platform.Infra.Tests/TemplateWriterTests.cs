using Platform.Infra.Model;
using YamlDotNet.RepresentationModel;

namespace Platform.Infra.Tests;

public class TemplateWriterTests
{
    private static MapValue Map(params (string Key, Value Value)[] entries) =>
        MapValue.From(entries.Select(e => new KeyValuePair<string, Value?>(e.Key, e.Value)));

    [Theory]
    [InlineData("${aws:username}", "$${aws:username}")]
    [InlineData("cost $5", "cost $$5")]
    [InlineData("$$", "$$$$")]
    public void Literal_dollars_are_escaped_so_pulumi_never_interpolates_them(string literal, string written)
    {
        Assert.Equal(written, TemplateWriter.Escape(literal));
        Assert.Contains($"\"{written}\"", TemplateWriter.Write(Map(("a", new StringValue(literal)))));
    }

    [Fact]
    public void References_and_interpolations_are_written_as_pulumi_expressions()
    {
        var text = TemplateWriter.Write(Map(
            ("ref", new ReferenceValue("bucket", "arn")),
            ("index", new ReferenceValue("azs", "[1]")),
            ("mixed", new InterpolationValue([new ReferenceValue("bucket", "arn"), new StringValue("/${x}*")]))));
        Assert.Equal("index: \"${azs[1]}\"\nmixed: \"${bucket.arn}/$${x}*\"\nref: \"${bucket.arn}\"\n", text);
    }

    [Fact]
    public void Strings_that_look_like_other_yaml_types_stay_strings()
    {
        var text = TemplateWriter.Write(Map(("a", new StringValue("true")), ("b", new StringValue("0123")), ("c", new StringValue("null")), ("d", new StringValue("line\n\"two\""))));
        var root = (YamlMappingNode)Load(text);
        foreach (var key in new[] { "a", "b", "c" })
            Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, ((YamlScalarNode)root[key]).Style);
        Assert.Equal("line\n\"two\"", ((YamlScalarNode)root["d"]).Value);
    }

    [Fact]
    public void Lists_of_objects_and_functions_round_trip_through_a_yaml_parser()
    {
        var value = Map(
            ("list", new ListValue([Map(("x", new NumberValue(1)), ("y", new ListValue([new StringValue("a")]))), new NumberValue(2.5)])),
            ("doc", FunctionValue.ToJson(Map(("Version", new StringValue("2012-10-17"))))),
            ("empty", new ListValue([])));
        var root = (YamlMappingNode)Load(TemplateWriter.Write(value));
        var list = (YamlSequenceNode)root["list"];
        Assert.Equal("1", ((YamlScalarNode)((YamlMappingNode)list[0])["x"]).Value);
        Assert.Equal("a", ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)list[0])["y"])[0]).Value);
        Assert.Equal("2.5", ((YamlScalarNode)list[1]).Value);
        Assert.Equal("2012-10-17", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)root["doc"])["fn::toJSON"])["Version"]).Value);
        Assert.Empty((YamlSequenceNode)root["empty"]);
    }

    [Fact]
    public void Keys_are_sorted_so_output_does_not_depend_on_insertion_order()
    {
        Assert.Equal(TemplateWriter.Write(Map(("b", new NumberValue(1)), ("a", new NumberValue(2)))),
                     TemplateWriter.Write(Map(("a", new NumberValue(2)), ("b", new NumberValue(1)))));
    }

    [Fact]
    public void Only_real_builtins_can_be_written()
    {
        Assert.Throws<ArgumentException>(() => new FunctionValue("fn::toYAML", new StringValue("x")));
    }

    private static YamlNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }
}
