namespace Platform.Conformance.Tests;

public sealed class InterpolationTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("$${literal}", "${literal}")]
    [InlineData("cost: $5", "cost: $5")]
    [InlineData("$$$$", "$$")]
    [InlineData("a$", "a$")]
    public void Literals_and_escapes(string text, string literal)
    {
        var parsed = Interpolation.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal([literal], parsed!.Parts);
    }

    [Fact]
    public void References_with_accessors()
    {
        var parsed = Interpolation.Parse("arn:${dist.origins[0][\"dom.ain\"].x}/${aws:region}", out _)!;
        Assert.False(parsed.IsSymbol);
        var references = parsed.References.ToList();
        Assert.Equal(2, references.Count);
        Assert.Equal("dist", references[0].Root);
        Assert.Equal([new PropertyAccessor("origins"), new IndexAccessor(0), new KeyAccessor("dom.ain"), new PropertyAccessor("x")], references[0].Accessors);
        Assert.Equal("aws:region", references[1].Root);
        Assert.True(Interpolation.Parse("${my-bucket.arn}", out _)!.IsSymbol);
    }

    [Theory]
    [InlineData("${a", "unterminated")]
    [InlineData("x ${a.b[0]", "unterminated")]
    [InlineData("${}", "empty interpolation")]
    [InlineData("${a.}", "empty property name")]
    [InlineData("${a[x]}", "an index must be")]
    [InlineData("${a[\"k\"}", "must be followed by ']'")]
    public void Malformed(string text, string message)
    {
        Assert.Null(Interpolation.Parse(text, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Property_paths()
    {
        Assert.Equal([new PropertyAccessor("rules"), new WildcardAccessor(), new PropertyAccessor("id")], PropertyPath.Parse("rules[*].id", out _));
        Assert.Equal([new PropertyAccessor("tags"), new KeyAccessor("a.b")], PropertyPath.Parse("tags[\"a.b\"]", out _));
        Assert.Null(PropertyPath.Parse("rules[x]", out var error));
        Assert.Contains("index", error);
        Assert.Null(PropertyPath.Parse(".x", out _));
    }
}
