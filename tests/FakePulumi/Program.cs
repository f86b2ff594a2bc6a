using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakePulumi;

// A fake `pulumi` for the console's end-to-end tests. It keeps stack state in a file:// backend laid out like pulumi's
// DIY backend, runs the real compiler command of Pulumi.yaml, diffs the template against the state, writes real-format
// event logs and preview digests, takes lock files like the DIY backend, and fails on demand (FAKE_PULUMI_FAULTS).
var version = Version.Parse(Environment.GetEnvironmentVariable("FAKE_PULUMI_VERSION") is { Length: > 0 } v ? v : "3.260.0");
var newExitCodes = version >= new Version(3, 227, 0);
var cli = new Cli(version, newExitCodes);
return cli.Run(args);

namespace FakePulumi
{
    public sealed class Cli(Version version, bool newExitCodes)
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

        private int StackLs()
        {
            var list = new JsonArray();
            foreach (var s in Backend.Stacks())
            {
                var locked = Backend.ForeignLocks(s, null).Count > 0;
                var o = new JsonObject { ["name"] = s, ["current"] = false };
                if (Backend.LastUpdate(s) is { } t && !locked) o["lastUpdate"] = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
                o["updateInProgress"] = locked;
                o["resourceCount"] = Backend.Load(s).Resources.Count;
                list.Add(o);
            }
            Console.WriteLine(list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        private int StackInit(string? stack)
        {
            if (string.IsNullOrEmpty(stack)) throw new FakeError("error: missing stack name", 2, 255);
            RequirePassphrase();
            if (Backend.Exists(stack)) throw new FakeError($"error: stack '{stack}' already exists", 1, 255);
            Backend.Create(stack);
            if (_args.Value("--secrets-provider") is null or "passphrase" or "default") WriteEncryptionSalt(stack);
            Console.WriteLine($"Created stack '{stack}'");
            return 0;
        }

        /// <summary>
        /// The passphrase secrets provider (the default on DIY backends) keeps its salt in the project's stack file, as
        /// the real CLI does: <c>encryptionsalt: v1:&lt;salt&gt;:v1:&lt;nonce&gt;:&lt;check&gt;</c> in Pulumi.&lt;stack&gt;.yaml,
        /// created when missing (https://www.pulumi.com/docs/iac/concepts/secrets/#passphrase).
        /// </summary>
        private void WriteEncryptionSalt(string stack)
        {
            var file = Path.Combine(_args.Value("--cwd") ?? Directory.GetCurrentDirectory(), $"Pulumi.{stack}.yaml");
            var text = File.Exists(file) ? File.ReadAllText(file) : "";
            if (text.Split('\n').Any(l => l.StartsWith("encryptionsalt:", StringComparison.Ordinal))) return;
            string Random(int bytes) => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
            File.WriteAllText(file, $"encryptionsalt: v1:{Random(8)}:v1:{Random(12)}:{Random(16)}\n" + text);
        }

        private int StackSelect(string? stack)
        {
            if (string.IsNullOrEmpty(stack)) throw new FakeError("error: no stack name given", 2, 255);
            if (!Backend.Exists(stack))
            {
                if (_args.Has("--create")) return StackInit(stack);
                throw new FakeError($"error: no stack named '{stack}' found", 6, 255);
            }
            return 0;
        }

        private int StackOutput()
        {
            var stack = Stack();
            RequireStack(stack);
            var state = Backend.Load(stack);
            var o = new JsonObject();
            foreach (var (k, v) in state.Outputs)
                o[k] = state.SecretOutputs.Contains(k) && !_args.Has("--show-secrets") ? "[secret]" : v?.DeepClone();
            Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        private int StackTag(string verb, List<string> rest)
        {
            var stack = Stack();
            RequireStack(stack);
            var tags = Backend.Tags(stack);
            switch (verb)
            {
                case "ls":
                    Console.WriteLine(JsonSerializer.Serialize(new SortedDictionary<string, string>(tags, StringComparer.Ordinal), new JsonSerializerOptions { WriteIndented = true }));
                    return 0;
                case "get":
                    if (rest.Count < 1) throw new FakeError("error: accepts 1 arg(s), received 0", 2, 255);
                    if (!tags.TryGetValue(rest[0], out var value)) throw new FakeError($"error: stack tag '{rest[0]}' not found for stack '{stack}'", 1, 255);
                    Console.WriteLine(value);
                    return 0;
                case "set":
                    if (rest.Count < 2) throw new FakeError($"error: accepts 2 arg(s), received {rest.Count}", 2, 255);
                    if (!System.Text.RegularExpressions.Regex.IsMatch(rest[0], "^[a-zA-Z0-9-_.:]{1,40}$"))
                        throw new FakeError($"error: invalid stack tag \"{rest[0]}\"", 1, 255);
                    if (rest[1].Length > 256) throw new FakeError($"error: stack tag \"{rest[0]}\" value is too long (max length 256 characters)", 1, 255);
                    tags[rest[0]] = rest[1];
                    Backend.SetTags(stack, tags);
                    return 0;
                case "rm":
                    tags.Remove(rest.FirstOrDefault() ?? "");
                    Backend.SetTags(stack, tags);
                    return 0;
                default:
                    throw new FakeError($"error: unknown command \"{verb}\" for \"pulumi stack tag\"", 1, 255);
            }
        }

        private int StackHistory()
        {
            var stack = Stack();
            RequireStack(stack);
            var items = Backend.History(stack).AsEnumerable();
            if (int.TryParse(_args.Value("--page-size"), out var size) && size > 0)
            {
                var page = int.TryParse(_args.Value("--page"), out var p) && p > 0 ? p : 1;
                items = items.Skip((page - 1) * size).Take(size);
            }
            var array = new JsonArray();
            foreach (var h in items)
                array.Add(new JsonObject
                {
                    ["version"] = h.Version,
                    ["kind"] = h.Kind,
                    ["startTime"] = h.StartTime,
                    ["message"] = h.Message,
                    ["environment"] = new JsonObject(),
                    ["config"] = new JsonObject(),
                    ["result"] = h.Result,
                    ["endTime"] = h.EndTime,
                    ["resourceChanges"] = JsonSerializer.SerializeToNode(h.ResourceChanges),
                });
            Console.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        private int StackExport()
        {
            var stack = Stack();
            RequireStack(stack);
            var state = Backend.Load(stack);
            var resources = new JsonArray();
            foreach (var r in state.Resources)
                resources.Add(new JsonObject { ["urn"] = r.Urn, ["type"] = r.Type, ["id"] = r.Id, ["custom"] = true, ["protect"] = r.Protect, ["inputs"] = r.Inputs.DeepClone(), ["outputs"] = r.Outputs.DeepClone() });
            var export = new JsonObject
            {
                ["version"] = 3,
                ["deployment"] = new JsonObject
                {
                    ["manifest"] = new JsonObject { ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["version"] = $"v{version}" },
                    ["secrets_providers"] = new JsonObject { ["type"] = "passphrase" },
                    ["resources"] = resources,
                    ["pending_operations"] = new JsonArray(state.PendingOperations.Select(p => (JsonNode)p.DeepClone()).ToArray()),
                },
            };
            Console.WriteLine(export.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
    }
}
