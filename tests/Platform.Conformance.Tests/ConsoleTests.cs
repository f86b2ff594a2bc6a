using System.Diagnostics;

namespace Platform.Conformance.Tests;

/// <summary>The console: <c>Platform.Conformance --aws &lt;dir&gt; &lt;templates...&gt;</c>, as CI runs it.</summary>
public sealed class ConsoleTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "conformance-console-" + Guid.NewGuid().ToString("N"));

    public ConsoleTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var dll = typeof(ConformanceChecker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPackage.RepoRoot };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the console did not finish within a minute");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void It_lists_every_problem_of_every_template_and_fails()
    {
        var good = Path.Combine(_dir, "good.yaml");
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(good, TestPackage.Template("good.yaml"));
        File.WriteAllText(bad, """{"name": "platform", "resources": {"vpc": {"type": "aws:ec2/vpc:Vpc", "properties": {"cidrBlok": "10.0.0.0/16"}}}}""");

        var (exit, stdout, _) = Run("--aws", "conformance/node_modules/@pulumi/aws", good);
        Assert.Equal(0, exit);
        Assert.StartsWith("1 templates, 0 problems (@pulumi/aws 7.48.0", stdout);

        (exit, stdout, _) = Run("--aws", "conformance/node_modules/@pulumi/aws", good, bad);
        Assert.Equal(1, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal($"{bad}: resources.vpc.properties.cidrBlok (line 1): 'cidrBlok' is not an input of aws:ec2/vpc:Vpc (did you mean 'cidrBlock'?)", lines[0]);
        Assert.Equal($"{bad}: resources.vpc.options.version (line 1): missing options.version: pin @pulumi/aws 7.48.0 on every AWS resource and provider (the first resource of a package decides its plugin version)", lines[1]);
        Assert.StartsWith("2 templates, 2 problems", lines[2]);
    }

    [Fact]
    public void A_missing_package_tells_how_to_install_it()
    {
        var (exit, _, stderr) = Run("--aws", Path.Combine(_dir, "node_modules", "@pulumi", "aws"), "template.yaml");
        Assert.Equal(2, exit);
        Assert.Contains("npm ci --ignore-scripts --prefix conformance", stderr);
    }
}
