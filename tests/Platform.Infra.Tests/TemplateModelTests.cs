using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using YamlDotNet.RepresentationModel;

namespace Platform.Infra.Tests;

public class TemplateModelTests
{
    private static YamlMappingNode Load(Template template)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(TemplateWriter.Write(template)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [Fact]
    public void A_secret_setting_is_declared_secret_in_config_and_only_referenced()
    {
        var template = new Template();
        var token = template.SecretConfig("apiToken");
        template.Export("token", token);

        var root = Load(template);
        var declaration = (YamlMappingNode)((YamlMappingNode)root["config"])["apiToken"];
        Assert.Equal("true", ((YamlScalarNode)declaration["secret"]).Value);
        Assert.Equal("String", ((YamlScalarNode)declaration["type"]).Value);
        Assert.Equal("${apiToken}", ((YamlScalarNode)((YamlMappingNode)root["outputs"])["token"]).Value);
    }

    [Fact]
    public void Resource_options_are_written_under_options_with_the_pinned_version()
    {
        var template = new Template();
        var logs = template.Add(new Bucket("logs", new BucketArgs()));
        template.Add(new Bucket("data", new BucketArgs { ForceDestroy = false }, new ResourceOptions
        {
            Protect = true,
            RetainOnDelete = true,
            DeleteBeforeReplace = true,
            DependsOn = [logs],
            IgnoreChanges = ["tags"],
            AdditionalSecretOutputs = ["bucketDomainName"],
        }));

        var data = (YamlMappingNode)((YamlMappingNode)Load(template)["resources"])["data"];
        Assert.Equal("aws:s3/bucket:Bucket", ((YamlScalarNode)data["type"]).Value);
        var options = (YamlMappingNode)data["options"];
        Assert.Equal("true", ((YamlScalarNode)options["protect"]).Value);
        Assert.Equal("true", ((YamlScalarNode)options["retainOnDelete"]).Value);
        Assert.Equal("true", ((YamlScalarNode)options["deleteBeforeReplace"]).Value);
        Assert.Equal("${logs}", ((YamlScalarNode)((YamlSequenceNode)options["dependsOn"])[0]).Value);
        Assert.Equal("tags", ((YamlScalarNode)((YamlSequenceNode)options["ignoreChanges"])[0]).Value);
        Assert.Equal("bucketDomainName", ((YamlScalarNode)((YamlSequenceNode)options["additionalSecretOutputs"])[0]).Value);
        Assert.Equal("7.48.0", ((YamlScalarNode)options["version"]).Value);
    }

    [Fact]
    public void Interpolated_outputs_keep_references_and_escape_literals()
    {
        var bucket = new Bucket("site", new BucketArgs());
        var arn = Output.Format($"{bucket.Arn}/${{aws:username}}/*");
        Assert.Equal("${site.arn}/$${aws:username}/*", ((InterpolationValue)arn.Expression).Render());
    }

    [Fact]
    public void Two_resources_cannot_share_a_logical_name()
    {
        var template = new Template();
        template.Add(new Bucket("data", new BucketArgs()));
        Assert.Throws<InvalidOperationException>(() => template.Add(new Bucket("data", new BucketArgs())));
    }

    [Theory]
    [InlineData("Data")]
    [InlineData("data_1")]
    [InlineData("1data")]
    public void Logical_names_are_lower_case_words(string name)
    {
        Assert.Throws<ArgumentException>(() => new Bucket(name, new BucketArgs()));
    }
}
