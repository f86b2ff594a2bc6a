using Platform.AwsSchema;

namespace Platform.Conformance.Tests;

/// <summary>The repository and the installed @pulumi/aws package, loaded once per test run.</summary>
internal static class TestPackage
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Platform.sln above {AppContext.BaseDirectory}.");
    });

    private static readonly Lazy<AwsPackageSchema> Loaded = new(() =>
    {
        var dir = AwsDirectory;
        if (!File.Exists(Path.Combine(dir, "package.json")))
            Assert.Fail($"@pulumi/aws is not installed at {dir}: run `npm ci --ignore-scripts --prefix conformance` from the repository root.");
        return AwsPackageSchema.Load(dir);
    });

    public static string RepoRoot => Root.Value;

    public static string AwsDirectory => Path.Combine(RepoRoot, "conformance", "node_modules", "@pulumi", "aws");

    public static AwsPackageSchema Schema => Loaded.Value;

    /// <summary>The pinned version, from conformance/package.json.</summary>
    public static string Version => PinnedVersion.Read(AwsDirectory);

    public static string Template(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", name));
}
