using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Platform.Automation.Stacks;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Rollout;

/// <summary>
/// Computes the program version of the working tree: <c>git rev-parse HEAD</c> (plus whether the tree has uncommitted
/// changes) and, per stack, the SHA-256 of the template the compiler produces for it, in-process (the same code path
/// Pulumi runs through compile.sh).
/// </summary>
public static class VersionSource
{
    /// <summary>
    /// Top-level keys of Pulumi.&lt;stack&gt;.yaml that say how the stack's secrets are encrypted, not what is deployed.
    /// <c>pulumi stack init</c> writes them (the passphrase provider adds <c>encryptionsalt</c>), so the console's own
    /// stack creation must not make the tree "dirty" (https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers).
    /// </summary>
    public static readonly IReadOnlyList<string> SecretsProviderKeys = ["encryptionsalt", "encryptedkey", "secretsprovider"];

    /// <summary>
    /// The version of <paramref name="stacks"/>. A stack whose settings are invalid, or whose stage in
    /// <paramref name="rollout"/> checks an output its template does not export, is bad input; so is an account of the
    /// stacks without exactly one stack carrying the baseline (<see cref="AccountBaselines"/>).
    /// </summary>
    public static ProgramVersion Compute(ProjectLayout layout, IEnumerable<string> stacks, RolloutFile rollout)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var unexported = new List<string>();
        foreach (var stack in stacks.Distinct())
        {
            var result = Compile(layout, stack, layout.ReadStack(stack).Values);
            hashes[stack] = Hash(result.Text!);
            unexported.AddRange(rollout.UnexportedOutputs(stack, result.Template!.Outputs.Keys));
        }
        rollout.RefuseUnexportedOutputs(unexported);
        AccountBaselines.Refuse(AccountBaselines.Problems(layout, hashes.Keys));
        var (commit, dirty) = Git(layout);
        return new ProgramVersion(commit, dirty, hashes);
    }

    /// <summary>
    /// <paramref name="version"/> with the images the run gives the stacks (<see cref="StackImages"/>), part of their
    /// config: the stacks that receive one are compiled again, the others and the commit stay as they are.
    /// </summary>
    public static ProgramVersion WithImages(ProgramVersion version, ProjectLayout layout, StackImages images)
    {
        var hashes = new SortedDictionary<string, string>(version.TemplateHashes.ToDictionary(), StringComparer.Ordinal);
        foreach (var stack in version.TemplateHashes.Keys.Where(s => images.For(s).Count > 0))
            hashes[stack] = Hash(Compile(layout, stack, images.Apply(stack, layout.ReadStack(stack).Values)).Text!);
        return version with { TemplateHashes = hashes };
    }

    private static Infra.CompileResult Compile(ProjectLayout layout, string stack, IReadOnlyDictionary<string, string> config)
    {
        var result = layout.Compile(stack, config);
        return result.Succeeded ? result : throw new BadInputException(result.ErrorMessage!, $"fix Pulumi.{stack}.yaml (run `platform plan` to see every problem)");
    }

    public static string Hash(string template) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)));

    /// <summary>
    /// HEAD and whether tracked files differ from it, not counting a stack file whose only change is in its
    /// <see cref="SecretsProviderKeys"/>.
    /// </summary>
    private static (string Commit, bool Dirty) Git(ProjectLayout layout)
    {
        var root = layout.RootDirectory;
        var head = Run(root, "rev-parse", "HEAD");
        var prefix = Run(root, "rev-parse", "--show-prefix"); // the project directory, relative to the repository's top
        var status = Run(root, "status", "--porcelain", "-z", "--untracked-files=no");
        if (head is null || prefix is null || status is null) return ("no-git", true);
        var entries = status.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var dirty = false;
        for (var i = 0; i < entries.Length; i++)
        {
            var code = entries[i][..2];
            var path = entries[i][3..];
            if (code.Contains('R') || code.Contains('C')) i++; // -z: the rename's source path follows as its own entry
            if (code is not (" M" or "M " or "MM") || !OnlySecretsProviderChanged(layout, prefix.Trim(), path)) dirty = true;
        }
        return (head.Trim(), dirty);
    }

    private static bool OnlySecretsProviderChanged(ProjectLayout layout, string prefix, string path)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var name = path[prefix.Length..];
        if (name.Contains('/') || !name.StartsWith("Pulumi.", StringComparison.Ordinal) || !name.EndsWith(".yaml", StringComparison.Ordinal) || name == "Pulumi.yaml")
            return false;
        var file = Path.Combine(layout.RootDirectory, name);
        var committed = Run(layout.RootDirectory, "show", $"HEAD:./{name}");
        string current;
        try
        {
            current = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return committed is not null && Canonical(file, committed) is { } before && before == Canonical(file, current);
    }

    /// <summary>The stack file without its secrets-provider keys, re-emitted (comments and layout do not count); null when it does not parse.</summary>
    private static string? Canonical(string path, string text)
    {
        try
        {
            var map = InputFile.ParseMap(path, text);
            foreach (var key in SecretsProviderKeys) map.Children.Remove(new YamlScalarNode(key));
            var writer = new StringWriter();
            new YamlStream(new YamlDocument(map)).Save(writer, assignAnchors: false);
            return writer.ToString();
        }
        catch (InputFileException)
        {
            return null;
        }
    }

    private static string? Run(string root, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var error = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = error.Result;
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
