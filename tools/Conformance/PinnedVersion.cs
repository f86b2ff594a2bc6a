using System.Text.Json;

namespace Platform.Conformance;

/// <summary>The @pulumi/aws version a repository pins for CI: <c>dependencies["@pulumi/aws"]</c> of <c>conformance/package.json</c>.</summary>
public static class PinnedVersion
{
    /// <summary>
    /// Reads the pin from the package.json that owns <paramref name="awsPackageDirectory"/>
    /// (<c>&lt;dir&gt;/node_modules/@pulumi/aws</c> → <c>&lt;dir&gt;/package.json</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">No such package.json, no exact pin, or the installed package differs from the pin.</exception>
    public static string Read(string awsPackageDirectory)
    {
        var aws = new DirectoryInfo(Path.GetFullPath(awsPackageDirectory));
        var owner = aws.Parent?.Parent?.Parent;
        if (aws.Parent?.Name != "@pulumi" || aws.Parent.Parent?.Name != "node_modules" || owner is null)
            throw new InvalidDataException($"'{aws.FullName}' is not <dir>/node_modules/@pulumi/aws; pass the pinned version explicitly.");
        var packageJson = Path.Combine(owner.FullName, "package.json");
        if (!File.Exists(packageJson)) throw new InvalidDataException($"'{packageJson}' does not exist.");
        using var json = JsonDocument.Parse(File.ReadAllBytes(packageJson));
        if (!json.RootElement.TryGetProperty("dependencies", out var deps) || !deps.TryGetProperty("@pulumi/aws", out var pin) || pin.GetString() is not { } version)
            throw new InvalidDataException($"'{packageJson}' does not depend on @pulumi/aws.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d+\.\d+\.\d+$"))
            throw new InvalidDataException($"'{packageJson}' pins @pulumi/aws to '{version}': pin an exact version such as 7.48.0.");
        using var installed = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(aws.FullName, "package.json")));
        var installedVersion = installed.RootElement.GetProperty("version").GetString();
        if (installedVersion != version)
            throw new InvalidDataException($"'{packageJson}' pins @pulumi/aws {version}, but {installedVersion} is installed: run `npm ci --ignore-scripts --prefix {Path.GetRelativePath(Environment.CurrentDirectory, owner.FullName)}`.");
        return version;
    }
}
