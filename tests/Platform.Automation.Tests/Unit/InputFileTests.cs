using Platform.Automation.Stacks;

namespace Platform.Automation.Tests.Unit;

/// <summary>The one reader of the console's YAML files: every malformation is bad input naming the file and the line.</summary>
public sealed class InputFileTests
{
    [Theory]
    [InlineData("a: 1\nb:\n  c: 1\n  c: 2\n", "line 4, column 3: the key 'c' appears twice")]
    [InlineData("a: [1\n", "line 2, column 1: this is not valid YAML")]
    [InlineData("- a\n- b\n", "line 1: the file must be a YAML map of keys to values, not a list")]
    [InlineData("just words\n", "not a single value")]
    [InlineData("a:\n  - ? {x: 1}\n    : 2\n", "a map is used as a key")]
    [InlineData("a: 1\n---\nb: 2\n", "line 3: the file holds 2 YAML documents")]
    public void Malformed_yaml_is_bad_input_with_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<InputFileException>(() => InputFile.ParseMap("/repo/rollout.yaml", text));
        Assert.Contains("/repo/rollout.yaml", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains("rollout.yaml", error.Fix);
    }

    [Fact]
    public void An_empty_file_is_an_empty_map() => Assert.Empty(InputFile.ParseMap("/repo/Pulumi.dev.yaml", "# nothing yet\n").Children);

    [Fact]
    public void A_missing_or_unreadable_file_is_bad_input_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("platform-input-").FullName;
        try
        {
            var missing = Assert.Throws<InputFileException>(() => InputFile.LoadMap(Path.Combine(dir, "plan-alow.yaml"), "check --allow-list"));
            Assert.Contains("plan-alow.yaml does not exist", missing.Message);
            Assert.Equal("check --allow-list", missing.Fix);

            Directory.CreateDirectory(Path.Combine(dir, "rollout.yaml"));
            var unreadable = Assert.Throws<InputFileException>(() => InputFile.LoadMap(Path.Combine(dir, "rollout.yaml"), "unused"));
            Assert.Contains("rollout.yaml cannot be read", unreadable.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_long_value_is_cut_in_messages() =>
        Assert.Equal(new string('a', 48) + "... (100000 characters)", InputFile.Shown(new string('a', 100_000)));
}
