using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// A throw-away Pulumi project and backend: Pulumi.yaml runs the real compiler (built once), stack files derived from the
/// repository's, a rollout file, a file:// backend for the fake pulumi, a `pulumi` shim on PATH, and an STS world.
/// </summary>
public sealed class World : IDisposable
{
    public const string Passphrase = "correct horse battery staple";
    private readonly Dictionary<string, string> _accountOverrides = new(StringComparer.Ordinal);

    public World(string? rollout = null, IEnumerable<(string Stack, string Account)>? extraStacks = null, string? compiler = null)
    {
        Id = Guid.NewGuid().ToString("N")[..10];
        Root = Directory.CreateTempSubdirectory("platform-e2e-").FullName;
        Project = Path.Combine(Root, "project");
        BackendDir = Path.Combine(Root, "backend");
        Bin = Path.Combine(Root, "bin");
        Logs = Path.Combine(Root, "logs");
        FaultsFile = Path.Combine(Root, "faults.json");
        foreach (var d in new[] { Project, BackendDir, Bin, Logs }) Directory.CreateDirectory(d);

        var infra = Path.Combine(Artifacts.RepoRoot, "infra");
        File.WriteAllText(Path.Combine(Project, "Pulumi.yaml"),
            $"name: platform\nmain: {infra}\nruntime:\n  name: yaml\n  options:\n    compiler: {compiler ?? $"dotnet {Artifacts.Compiler}"}\n");
        foreach (var stack in new[] { "dev", "stage", "prod" })
            File.Copy(Path.Combine(Artifacts.RepoRoot, $"Pulumi.{stack}.yaml"), Path.Combine(Project, $"Pulumi.{stack}.yaml"));
        foreach (var (stack, account) in extraStacks ?? [])
            AddStack(stack, account);
        File.WriteAllText(Path.Combine(Project, "rollout.yaml"), rollout ?? ThreeStages);

        var shim = Path.Combine(Bin, "pulumi");
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet \"{Artifacts.FakePulumi}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Faults = new JsonObject { ["stacks"] = new JsonObject(), ["accounts"] = new JsonObject() };
        SaveFaults();
        Artifacts.Sts.Register(Id, arn => _accountOverrides.GetValueOrDefault(arn));
        Git("init", "-q");
        Commit("initial");
    }

    public const string ThreeStages = """
        stages:
          - name: dev
            stacks: [dev]
            checks:
              outputs: [vpcId]
          - name: stage
            stacks: [stage]
          - name: prod
            stacks: [prod]
            approval: true
            protected: true
        """;

    public string Id { get; }
    public string Root { get; }
    public string Project { get; }
    public string BackendDir { get; }
    public string Bin { get; }
    public string Logs { get; }
    public string FaultsFile { get; }
    public JsonObject Faults { get; }

    /// <summary>A stack derived from dev, in its own account (role and allowed account).</summary>
    public void AddStack(string stack, string account, string? extraConfig = null)
    {
        var dev = File.ReadAllText(Path.Combine(Artifacts.RepoRoot, "Pulumi.dev.yaml"))
            .Replace("111111111111", account, StringComparison.Ordinal)
            .Replace("platform-dev", $"platform-{stack}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Project, $"Pulumi.{stack}.yaml"), dev + (extraConfig ?? ""));
    }

    public void Fault(string stack, string key, JsonNode value)
    {
        var stacks = Faults["stacks"]!.AsObject();
        if (stacks[stack] is not JsonObject f) stacks[stack] = f = new JsonObject();
        f[key] = value;
        SaveFaults();
    }

    public void ClearFaults(string stack)
    {
        Faults["stacks"]!.AsObject().Remove(stack);
        SaveFaults();
    }

    /// <summary>The credentials for <paramref name="roleArn"/> really reach <paramref name="account"/> (for STS and the fake provider).</summary>
    public void CredentialsReach(string roleArn, string account)
    {
        _accountOverrides[roleArn] = account;
        Faults["accounts"]![roleArn] = account;
        SaveFaults();
    }

    private void SaveFaults() => File.WriteAllText(FaultsFile, Faults.ToJsonString());

    public Dictionary<string, string?> Environment() => new()
    {
        ["PATH"] = Bin + ":" + System.Environment.GetEnvironmentVariable("PATH"),
        ["PULUMI_BACKEND_URL"] = "file://" + BackendDir,
        ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase,
        ["FAKE_PULUMI_FAULTS"] = FaultsFile,
        ["PLATFORM_STS_ENDPOINT"] = Artifacts.Sts.Url,
        ["AWS_ACCESS_KEY_ID"] = $"AKIA-{Id}-000000000000",
        ["AWS_SECRET_ACCESS_KEY"] = "not-a-secret",
        ["AWS_REGION"] = "eu-west-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Root, "no-credentials"),
        ["AWS_CONFIG_FILE"] = Path.Combine(Root, "no-config"),
        // Leaked on purpose: the console must not hand these to pulumi (pulumi would pass them on to the compiler).
        ["PULUMI_STACK"] = "leaked-stack",
        ["PULUMI_CONFIG"] = "{\"platform:leaked\":\"yes\"}",
        ["PULUMI_DEBUG_COMMANDS"] = null,
        ["CI"] = "true",
        ["NO_COLOR"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>Starts the built console with the world's environment.</summary>
    public Process Start(params string[] args) => Start(false, args);

    public Process Start(bool defaultSigint, params string[] args) => Start(defaultSigint, new Dictionary<string, string?>(), logDir: true, args);

    /// <summary>
    /// Starts the built console. With <paramref name="defaultSigint"/>, SIGINT is restored to its default first (through
    /// perl, which Debian always has): a process started in the background by a non-interactive shell, as CI runners and
    /// test hosts often are, inherits SIGINT as ignored, unlike a terminal's foreground job, which is what Ctrl+C reaches.
    /// </summary>
    /// <param name="environment">Variables to set (or, with a null value, remove) on top of the world's.</param>
    /// <param name="logDir">Whether to pass --log-dir (the world's log directory).</param>
    public Process Start(bool defaultSigint, IReadOnlyDictionary<string, string?> environment, bool logDir, params string[] args)
    {
        var start = new ProcessStartInfo(defaultSigint ? "perl" : Artifacts.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Project,
        };
        if (defaultSigint)
            foreach (var a in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die", Artifacts.Dotnet }) start.ArgumentList.Add(a);
        start.ArgumentList.Add(Artifacts.Console);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (logDir)
        {
            start.ArgumentList.Add("--log-dir");
            start.ArgumentList.Add(Logs);
        }
        foreach (var (k, v) in Environment().Concat(environment))
            if (v is null) start.Environment.Remove(k);
            else start.Environment[k] = v;
        return Process.Start(start)!;
    }

    public RunResult Run(params string[] args) => RunWith(new Dictionary<string, string?>(), logDir: true, args);

    /// <summary>Runs the console with variables changed on top of the world's, and with or without --log-dir.</summary>
    public RunResult RunWith(IReadOnlyDictionary<string, string?> environment, bool logDir, params string[] args)
    {
        using var p = Start(false, environment, logDir, args);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) p.Kill(true);
        return new RunResult(p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs the fake pulumi directly (as a person would, to inspect or to clean up).</summary>
    public RunResult Pulumi(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Project };
        start.ArgumentList.Add(Artifacts.FakePulumi);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in Environment())
            if (v is null || k is "PULUMI_STACK" or "PULUMI_CONFIG") start.Environment.Remove(k);
            else start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new RunResult(p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Every start record of the fake pulumi: its argv.</summary>
    public IReadOnlyList<string[]> Invocations()
    {
        var file = Path.Combine(BackendDir, ".fake", "invocations.jsonl");
        if (!File.Exists(file)) return [];
        return File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).Where(n => (string?)n["phase"] == "start")
            .Select(n => n["argv"]!.AsArray().Select(a => (string)a!).ToArray()).ToList();
    }

    public IReadOnlyList<JsonNode> InvocationRecords()
    {
        var file = Path.Combine(BackendDir, ".fake", "invocations.jsonl");
        return File.Exists(file) ? File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).ToList() : [];
    }

    /// <summary>The pulumi commands (first words) run for a stack, in order.</summary>
    public IReadOnlyList<string> CommandsFor(string stack) =>
        Invocations().Where(a => StackOf(a) == stack).Select(a => string.Join(' ', a.TakeWhile(x => !x.StartsWith('-')))).ToList();

    private static string? StackOf(string[] argv)
    {
        var i = Array.IndexOf(argv, "--stack");
        return i >= 0 && i + 1 < argv.Length ? argv[i + 1] : null;
    }

    public string StateFile(string stack) => Path.Combine(BackendDir, ".pulumi", "stacks", "platform", stack + ".json");

    public JsonNode? State(string stack) => File.Exists(StateFile(stack)) ? JsonNode.Parse(File.ReadAllText(StateFile(stack))) : null;

    public int ResourceCount(string stack) => State(stack)?["resources"]?.AsArray().Count ?? 0;

    public string LockDir(string stack) => Path.Combine(BackendDir, ".pulumi", "locks", "organization", "platform", stack);

    public string[] Locks(string stack) => Directory.Exists(LockDir(stack)) ? Directory.GetFiles(LockDir(stack)) : [];

    /// <summary>Writes a lock file as another process's update would.</summary>
    public void HoldLock(string stack)
    {
        Directory.CreateDirectory(LockDir(stack));
        File.WriteAllText(Path.Combine(LockDir(stack), Guid.NewGuid() + ".json"),
            "{\"pid\":4242,\"username\":\"alice\",\"hostname\":\"build-7\",\"timestamp\":\"2026-08-21T10:00:00Z\"}");
    }

    public string? LedgerTag(string stack)
    {
        var file = Path.Combine(BackendDir, ".pulumi", "stacks", "platform", stack + ".pulumi-tags");
        return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))?["platform:ledger"]?.ToString() : null;
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", message);
    }

    public string Head() => Git("rev-parse", "HEAD").Trim();

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Project, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>Everything the console wrote: stdout, stderr and the run logs.</summary>
    public string AllLogs() => string.Join("\n", Directory.GetFiles(Logs).Select(File.ReadAllText));

    private readonly List<string> _alsoDelete = [];

    /// <summary>Deletes <paramref name="directory"/> with the world (fixtures made before it).</summary>
    public void AlsoDelete(string directory) => _alsoDelete.Add(directory);

    public void Dispose()
    {
        foreach (var d in _alsoDelete)
            try { Directory.Delete(d, recursive: true); }
            catch (IOException) { }
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
