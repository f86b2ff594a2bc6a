using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Platform.Automation.Stacks;
using Platform.Infra;

namespace Platform.Automation.Rollout;

/// <summary>
/// Computes the program version of the working tree: <c>git rev-parse HEAD</c> (plus whether the tree has uncommitted
/// changes) and, per stack, the SHA-256 of the template the compiler produces for it, in-process (the same code path
/// Pulumi runs through compile.sh).
/// </summary>
public static class VersionSource
{
    public static ProgramVersion Compute(ProjectLayout layout, IEnumerable<string> stacks)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in stacks.Distinct())
        {
            var config = layout.ReadStack(stack);
            var result = StackCompiler.Compile(new CompileRequest(layout.ProjectName, stack, config.Values, layout.RootDirectory));
            if (!result.Succeeded) throw new BadInputException(result.ErrorMessage!);
            hashes[stack] = Hash(result.Text!);
        }
        var (commit, dirty) = Git(layout.RootDirectory);
        return new ProgramVersion(commit, dirty, hashes);
    }

    public static string Hash(string template) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)));

    private static (string Commit, bool Dirty) Git(string root)
    {
        var head = Run(root, "rev-parse", "HEAD");
        if (head is null) return ("no-git", true);
        var status = Run(root, "status", "--porcelain", "--untracked-files=no");
        return (head.Trim(), !string.IsNullOrWhiteSpace(status));
    }

    private static string? Run(string root, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
