using System.Diagnostics;
using Platform.Automation.Stacks;

namespace Platform.Infra.Tests.Support;

/// <summary>
/// Runs exactly the compiler command of Pulumi.yaml the way the Pulumi YAML runtime does: split like a shell (no
/// shell), in the program directory, with only the PULUMI_* variables given (none inherited), stdout read as the template.
/// </summary>
public static class CompilerProcess
{
    public static readonly ProjectLayout Layout = new(TestStacks.RepoRoot);

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <summary>The environment Pulumi gives the compiler for <paramref name="stack"/> of <paramref name="project"/> (default: the platform's).</summary>
    public static Dictionary<string, string> PulumiEnvironment(string stack, IReadOnlyDictionary<string, string> config, ProjectLayout? project = null) => new()
    {
        ["PULUMI_STACK"] = stack,
        ["PULUMI_PROJECT"] = (project ?? Layout).ProjectName,
        ["PULUMI_ORGANIZATION"] = "organization",
        ["PULUMI_ROOT_DIRECTORY"] = (project ?? Layout).RootDirectory,
        ["PULUMI_CONFIG"] = System.Text.Json.JsonSerializer.Serialize(config),
    };

    /// <param name="environment">The PULUMI_* variables, or null for plugin discovery (none at all).</param>
    /// <param name="project">The Pulumi project whose compiler command runs (default: the platform's).</param>
    public static Run Start(IReadOnlyDictionary<string, string>? environment, ProjectLayout? project = null)
    {
        var argv = (project ?? Layout).CompilerArguments;
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = (project ?? Layout).ProgramDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1)) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Run(process.ExitCode, stdout, stderr.Result);
    }
}
