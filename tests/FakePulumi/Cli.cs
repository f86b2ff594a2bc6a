using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace FakePulumi;

/// <summary>The fake CLI: signals, arguments, the call record of each run, and the dispatch to its commands.</summary>
public sealed partial class Cli(Version version, bool newExitCodes)
{
    private Args _args = new();
    private Backend? _backend;
    private Project? _project;
    private int _interrupts;
    private readonly List<PosixSignalRegistration> _signals = [];

    private static bool Truthy(string? v) => v is "1" or "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on";

    public int Run(string[] argv)
    {
        foreach (var s in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            _signals.Add(PosixSignalRegistration.Create(s, ctx =>
            {
                // First signal: cancel gracefully (finish the step, save, unlock). Second: terminate immediately.
                if (Interlocked.Increment(ref _interrupts) == 1)
                {
                    ctx.Cancel = true;
                    Console.Error.WriteLine("^C received; cancelling. If you would like to terminate immediately, press ^C again.");
                    Record(new JsonObject { ["signal"] = s.ToString() });
                }
            }));
        _args = Args.Parse(argv, Truthy(Environment.GetEnvironmentVariable("PULUMI_DEBUG_COMMANDS")));
        var code = 0;
        try
        {
            TryOpenBackend();
            Record(new JsonObject
            {
                ["phase"] = "start",
                ["argv"] = new JsonArray(argv.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["pid"] = Environment.ProcessId,
                ["sawPulumiStack"] = Environment.GetEnvironmentVariable("PULUMI_STACK") is not null,
                ["sawPulumiConfig"] = Environment.GetEnvironmentVariable("PULUMI_CONFIG") is not null,
                ["debugCommands"] = Environment.GetEnvironmentVariable("PULUMI_DEBUG_COMMANDS"),
            });
            if (_args.UnknownFlag is { } flag) throw new FakeError($"error: unknown flag: {flag}", 1, 255);
            code = Dispatch();
        }
        catch (FakeError e)
        {
            Console.Error.WriteLine(e.Message);
            code = newExitCodes ? e.ExitCode : e.LegacyExitCode;
        }
        Record(new JsonObject { ["phase"] = "exit", ["words"] = string.Join(' ', _args.Words), ["exit"] = code });
        return code;
    }

    private void TryOpenBackend()
    {
        var url = Environment.GetEnvironmentVariable("PULUMI_BACKEND_URL");
        if (url is null || !url.StartsWith("file://", StringComparison.Ordinal)) return;
        var cwd = _args.Value("--cwd") ?? Directory.GetCurrentDirectory();
        var projectName = File.Exists(Path.Combine(cwd, "Pulumi.yaml")) ? new Project(cwd).Name : "project";
        _backend = new Backend(url["file://".Length..], projectName);
    }

    private void Record(JsonObject entry)
    {
        if (_backend is null) return;
        var dir = Path.Combine(_backend.Root, ".fake");
        Directory.CreateDirectory(dir);
        entry["time"] = DateTimeOffset.UtcNow.ToString("O");
        entry["pid"] ??= Environment.ProcessId;
        lock (_signals) File.AppendAllText(Path.Combine(dir, "invocations.jsonl"), entry.ToJsonString() + "\n");
    }

    private Backend Backend => _backend ?? throw new FakeError(
        "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions", 3, 255);

    private Project Project => _project ??= new Project(_args.Value("--cwd") ?? Directory.GetCurrentDirectory());

    private int Dispatch()
    {
        var w = _args.Words;
        string At(int i) => i < w.Count ? w[i] : "";
        switch (At(0))
        {
            case "version":
                Console.WriteLine($"v{version}");
                return 0;
            case "whoami":
                Console.WriteLine(Environment.UserName);
                return 0;
            case "stack":
                return At(1) switch
                {
                    "ls" => StackLs(),
                    "init" or "new" => StackInit(w.Count > 2 ? w[2] : _args.Value("--stack")),
                    "select" => StackSelect(w.Count > 2 ? w[2] : _args.Value("--stack")),
                    "output" => StackOutput(),
                    "tag" => StackTag(At(2), w.Skip(3).ToList()),
                    "history" => StackHistory(),
                    "export" => StackExport(),
                    _ => throw new FakeError($"error: unknown command \"{At(1)}\" for \"pulumi stack\"", 1, 255),
                };
            case "config" when At(1) == "set" && _args.Has("--path") && w.Count == 4:
            {
                var stack = Stack();
                RequireStack(stack);
                Project.SetConfig(stack, w[2], w[3]);
                return 0;
            }
            case "config":
                throw new FakeError($"error: the fake supports only `pulumi config set --path KEY VALUE`, not `{string.Join(' ', w)}`", 1, 255);
            case "preview":
                return new Engine(this, Stack(), Faults.Load()).Preview();
            case "up" or "update":
                return new Engine(this, Stack(), Faults.Load()).Up();
            case "refresh":
                return new Engine(this, Stack(), Faults.Load()).Refresh();
            case "destroy":
                return new Engine(this, Stack(), Faults.Load()).Destroy();
            case "cancel":
            {
                var stack = w.Count > 1 ? w[1] : Stack();
                RequireStack(stack);
                Backend.RemoveLocks(stack);
                Console.WriteLine($"The currently running update for '{stack}' has been canceled!");
                return 0;
            }
            default:
                throw new FakeError($"error: unknown command \"{At(0)}\" for \"pulumi\"", 1, 255);
        }
    }

    internal Args Args => _args;

    internal Backend StateBackend => Backend;

    internal Project ProjectInfo => Project;

    internal bool NewExitCodes => newExitCodes;

    internal bool Interrupted => Volatile.Read(ref _interrupts) > 0;

    internal void Log(JsonObject entry) => Record(entry);

    internal string Stack() => _args.Value("--stack") ?? throw new FakeError(
        "error: no stack selected; please use `pulumi stack select` or `pulumi stack init` to choose or create one", 6, 255);

    internal void RequireStack(string stack)
    {
        if (!Backend.Exists(stack)) throw new FakeError($"error: no stack named '{stack}' found", 6, 255);
    }

    internal static void RequirePassphrase()
    {
        if (Environment.GetEnvironmentVariable("PULUMI_CONFIG_PASSPHRASE") is null &&
            Environment.GetEnvironmentVariable("PULUMI_CONFIG_PASSPHRASE_FILE") is null)
            throw new FakeError("error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables", 1, 255);
    }
}
