using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Platform.Automation.Pulumi;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>The <c>platform</c> command line: global options, one class per command, and one error policy.</summary>
public static class PlatformConsole
{
    public static readonly Option<string?> Cwd = new("--cwd", "-C") { Description = "The project directory (holding Pulumi.yaml); default: the current directory or its nearest parent with one.", Recursive = true };
    public static readonly Option<string?> RolloutFile = new("--rollout") { Description = "The rollout file; default: rollout.yaml next to Pulumi.yaml.", Recursive = true };
    public static readonly Option<string?> LogDir = new("--log-dir") { Description = "Where the JSON-lines run log goes; default: .platform/logs (or $PLATFORM_LOG_DIR).", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show debug logs (pulumi's own output) on the console.", Recursive = true };
    public static readonly Option<string?> StsEndpoint = new("--sts-endpoint") { Description = "STS endpoint URL for the account guard (the SDK's ServiceURL); default: $PLATFORM_STS_ENDPOINT or AWS's regional endpoint.", Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("platform: plan, preview, deploy and promote the Platform stacks (drives the pulumi CLI).");
        foreach (var o in new Option[] { Cwd, RolloutFile, LogDir, Verbose, StsEndpoint }) root.Options.Add(o);
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(StacksCommand.Create());
        root.Subcommands.Add(PreviewCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(PromoteCommand.Create());
        root.Subcommands.Add(DriftCommand.Create());
        root.Subcommands.Add(DestroyCommand.Create());
        foreach (var version in root.Options.OfType<VersionOption>()) version.Action = new PrintVersion();
        return root;
    }

    /// <summary>
    /// "platform 1.0.0 (commit 0123456789ab)": the version of the program and the commit it was built from, which the
    /// SDK appends to the informational version when the build runs in a git checkout ("commit unknown" otherwise).
    /// </summary>
    public static string VersionText { get; } = FormatVersion(
        typeof(PlatformConsole).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "");

    internal static string FormatVersion(string informationalVersion)
    {
        var parts = informationalVersion.Split('+', 2);
        var commit = parts.Length == 2 && parts[1].Length > 0 ? parts[1][..Math.Min(12, parts[1].Length)] : "unknown: built outside a git checkout";
        return $"platform {parts[0]} (commit {commit})";
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            Console.Out.WriteLine(VersionText);
            return ExitCodes.Ok;
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run 'platform --help' for usage.");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a command body with the shared context and the error policy: typed errors print what, where and the fix.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(string name, Func<ConsoleContext, ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, _) =>
        {
            var settings = new GlobalSettings(parse.GetValue(Cwd), parse.GetValue(RolloutFile), parse.GetValue(LogDir), parse.GetValue(Verbose), parse.GetValue(StsEndpoint));
            ConsoleContext context;
            try
            {
                context = new ConsoleContext(name, settings);
            }
            catch (Exception x) when (PlatformException.From(x) is BadInputException e)
            {
                // No run log yet (its directory may be the bad input): the error goes to stderr only.
                Console.Error.WriteLine($"error: {e.Message}");
                if (e.Fix is not null) Console.Error.WriteLine($"fix: {e.Fix}");
                return e.ExitCode;
            }
            using var disposeContext = context;
            try
            {
                var code = await body(context, parse, Interrupts.Token);
                context.Log.Debug("platform {Command} exits with {ExitCode}", name, code);
                return code;
            }
            catch (Exception x) when (PlatformException.From(x) is { } e)
            {
                context.Log.Error("{Message}", e.Message);
                if (e is PulumiException { StderrTail: { Length: > 0 } tail })
                    context.Log.Error("pulumi said:\n{Tail}", tail);
                if (e.Fix is not null) context.Log.Error("fix: {Fix}", e.Fix);
                context.Log.Debug("platform {Command} exits with {ExitCode}", name, e.ExitCode);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (Interrupts.Token.IsCancellationRequested)
            {
                context.Log.Warning("Interrupted.");
                return ExitCodes.Interrupted;
            }
            catch (Exception e)
            {
                context.Log.Fatal(e, "Unexpected error (a bug in the console): {Message}. The stack trace is in the run log: {LogFile}", e.Message, context.LogFile);
                return ExitCodes.InternalError;
            }
        };

    public static void Escaped(this IAnsiConsole console, string text) => console.MarkupLine(Markup.Escape(text));
}
