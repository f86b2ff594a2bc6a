namespace Platform.Automation.Tests.EndToEnd;

/// <summary>The built artifacts the end-to-end tests run: the console, the fake pulumi and the compiler.</summary>
public static class Artifacts
{
    private static readonly string Bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
    public static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string RepoRoot { get; } = FindRoot();

    public static string Console => Require(Path.Combine(Bin, "Platform.Automation", Configuration, "platform.dll"));

    public static string FakePulumi => Require(Path.Combine(Bin, "FakePulumi", Configuration, "FakePulumi.dll"));

    public static string Compiler => Require(Path.Combine(Bin, "Platform.Infra", Configuration, "Platform.Infra.dll"));

    private static string Require(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(d.FullName, "infra"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root");
    }

    public static readonly FakeSts Sts = new();

    /// <summary>The dotnet host, by absolute path (tests may hide PATH).</summary>
    public static string Dotnet { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";
}

public sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + "\n" + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
