namespace FakePulumi;

/// <summary>The command line as pulumi's cobra would see it: positional words and flags (with or without values).</summary>
public sealed class Args
{
    private static readonly HashSet<string> ValueFlags =
    [
        "--stack", "-s", "--cwd", "-C", "--color", "--event-log", "--message", "-m", "--page-size", "--page", "--target", "-t",
        "--secrets-provider", "--config-file", "--parallel", "-p", "-v", "--verbose", "--exclude", "--replace",
    ];

    private static readonly HashSet<string> BoolFlags =
    [
        "--non-interactive", "--yes", "-y", "--skip-preview", "-f", "--json", "-j", "--preview-only", "--expect-no-changes",
        "--show-secrets", "--diff", "--all", "-a", "--force", "--remove", "--no-select", "--suppress-outputs", "--suppress-progress",
        "--show-sames", "--refresh", "-r", "--clear-pending-creates", "--skip-pending-creates", "--logtostderr", "--debug", "--path",
    ];

    public List<string> Words { get; } = [];

    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    public string? UnknownFlag { get; private set; }

    public static Args Parse(string[] argv, bool debugCommands)
    {
        var a = new Args();
        for (var i = 0; i < argv.Length; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                a.Words.AddRange(argv[(i + 1)..]);
                break;
            }
            if (!arg.StartsWith('-') || arg == "-")
            {
                a.Words.Add(arg);
                continue;
            }
            var name = arg;
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (eq > 0)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }
            // --event-log is only registered when PULUMI_DEBUG_COMMANDS is truthy (pulumi/pkg/cmd/pulumi/operations/up.go).
            if (name == "--event-log" && !debugCommands)
            {
                a.UnknownFlag ??= name;
                continue;
            }
            if (ValueFlags.Contains(name))
            {
                var value = inline ?? (i + 1 < argv.Length ? argv[++i] : "");
                var key = Canonical(name);
                if (!a.Values.TryGetValue(key, out var list)) a.Values[key] = list = [];
                list.Add(value);
            }
            else if (BoolFlags.Contains(name)) a.Flags.Add(Canonical(name));
            else a.UnknownFlag ??= name;
        }
        return a;
    }

    private static string Canonical(string name) => name switch
    {
        "-s" => "--stack",
        "-C" => "--cwd",
        "-m" => "--message",
        "-t" => "--target",
        "-y" => "--yes",
        "-f" => "--skip-preview",
        "-j" => "--json",
        "-a" => "--all",
        "-r" => "--refresh",
        "-p" => "--parallel",
        _ => name,
    };

    public string? Value(string name) => Values.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    public bool Has(string flag) => Flags.Contains(flag);
}
