using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// The console ships as a .NET tool: packed from the built project, installed from that package alone into a
/// throw-away tool path (and package cache, so an earlier package of the same version is never reused), it is the
/// `platform` command and names its version and the commit it was built from.
/// </summary>
public sealed partial class ToolPackageTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("platform-tool-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [GeneratedRegex(@"<Version>([^<]+)</Version>")]
    private static partial Regex ProjectVersion();

    [GeneratedRegex(@"^platform (?<version>\S+) \(commit (?<commit>[0-9a-f]{12})\)\n$")]
    private static partial Regex VersionLine();

    [Fact]
    public void The_packed_tool_installs_as_platform_and_prints_its_version_and_commit()
    {
        var project = Path.Combine(Artifacts.RepoRoot, "automation", "Platform.Automation.csproj");
        var packages = Path.Combine(_temp, "packages");
        var config = Path.Combine(_temp, "nuget.config");
        File.WriteAllText(config, "<configuration><packageSources><clear /></packageSources></configuration>\n");

        var pack = Run(Artifacts.Dotnet, ["pack", project, "-c", Artifacts.Configuration, "--no-build", "-o", packages, "--nologo"]);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = Run(Artifacts.Dotnet, ["tool", "install", "--tool-path", Path.Combine(_temp, "tools"), "--configfile", config,
            "--add-source", packages, "Platform.Console"], ownPackageCache: true);
        Assert.True(install.ExitCode == 0, install.ToString());

        var run = Run(Path.Combine(_temp, "tools", "platform"), ["--version"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = VersionLine().Match(run.Stdout);
        Assert.True(line.Success, run.Stdout);
        Assert.Equal(ProjectVersion().Match(File.ReadAllText(project)).Groups[1].Value, line.Groups["version"].Value);
        var commit = Run("git", ["-C", Artifacts.RepoRoot, "rev-parse", "--verify", "--quiet", line.Groups["commit"].Value + "^{commit}"]);
        Assert.True(commit.ExitCode == 0, $"{line.Groups["commit"].Value} is not a commit of this repository");
    }

    [Theory]
    [InlineData("1.0.0+7867db259e70c3d8f1ab2c4e5d6f7a8b9c0d1e2f", "platform 1.0.0 (commit 7867db259e70)")]
    [InlineData("1.0.0", "platform 1.0.0 (commit unknown: built outside a git checkout)")]
    public void The_version_names_the_commit_or_says_it_is_unknown(string informationalVersion, string expected) =>
        Assert.Equal(expected, Commands.PlatformConsole.FormatVersion(informationalVersion));

    private RunResult Run(string file, string[] args, bool ownPackageCache = false)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _temp };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (ownPackageCache) start.Environment["NUGET_PACKAGES"] = Path.Combine(_temp, "nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new RunResult(process.ExitCode, stdout, stderr.Result);
    }
}
