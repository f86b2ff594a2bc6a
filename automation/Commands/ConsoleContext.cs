using System.Text.RegularExpressions;
using Platform.Automation.Accounts;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Platform.Automation.Stacks;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>Global options every command shares.</summary>
public sealed record GlobalSettings(string? Cwd, string? RolloutFile, string? LogDirectory, bool Verbose, string? StsEndpoint);

/// <summary>
/// What a command needs: the project, the run log (readable console sink on stderr for people, one JSON-lines file per
/// run for machines), the report console (stdout), and the pulumi driver, built on first use.
/// </summary>
public sealed partial class ConsoleContext : IDisposable
{
    private readonly Logger _logger;
    private ProjectLayout? _layout;
    private RolloutFile? _rollout;
    private IPulumiCli? _cli;
    private readonly BadInputException? _layoutError;

    /// <summary>Builds the context; bad global options (a missing --cwd, an unusable log directory or STS endpoint) are bad input.</summary>
    public ConsoleContext(string command, GlobalSettings settings)
    {
        Settings = settings;
        if (settings.Cwd is { } cwd && !Directory.Exists(cwd))
            throw new BadInputException($"--cwd {cwd}: there is no such directory.", "pass the directory that holds Pulumi.yaml");
        try
        {
            _layout = ProjectLayout.Discover(settings.Cwd ?? Directory.GetCurrentDirectory());
        }
        catch (InputFileException e)
        {
            _layoutError = new BadInputException(e.Message, e.Fix);
        }
        StsEndpoint = Endpoint(settings.StsEndpoint, "--sts-endpoint") ?? Endpoint(Environment.GetEnvironmentVariable("PLATFORM_STS_ENDPOINT"), "PLATFORM_STS_ENDPOINT");
        LogFile = CreateLogFile(command, settings.LogDirectory, _layout);
        ConsoleLevel = new LoggingLevelSwitch(settings.Verbose ? LogEventLevel.Debug : LogEventLevel.Information);
        _logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Command", command)
            .Enrich.WithProperty("Run", Path.GetFileNameWithoutExtension(LogFile))
            // No {Exception} on the console: a stack trace is for the run log, never for the person at the terminal.
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}",
                standardErrorFromLevel: LogEventLevel.Verbose, levelSwitch: ConsoleLevel)
            .WriteTo.File(new JsonFormatter(renderMessage: true), LogFile)
            .CreateLogger();
        Log = _logger;
        var plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected) Out.Profile.Width = 200;
        Log.Debug("platform {Command} (log {LogFile})", command, LogFile);
    }

    /// <summary>
    /// The run log's file: in --log-dir, else $PLATFORM_LOG_DIR, else .platform/logs of the project (a temporary
    /// directory outside one). A directory that cannot be created or written is bad input naming where it came from.
    /// </summary>
    private static string CreateLogFile(string command, string? option, ProjectLayout? layout)
    {
        var environment = Environment.GetEnvironmentVariable("PLATFORM_LOG_DIR") is { Length: > 0 } e ? e : null;
        var (dir, source) = option is not null ? (option, "--log-dir")
            : environment is not null ? (environment, "PLATFORM_LOG_DIR")
            : layout is not null ? (Path.Combine(layout.RootDirectory, ".platform", "logs"), "the default log directory")
            : (Path.Combine(Path.GetTempPath(), "platform-logs"), "the default log directory");
        var file = Path.Combine(dir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{command}-{Environment.ProcessId}.jsonl");
        try
        {
            Directory.CreateDirectory(dir);
            using (new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { }
            return file;
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new BadInputException($"{source} {dir}: the run log cannot be written there ({x.Message.TrimEnd('.')}).",
                "pass --log-dir DIR (or set PLATFORM_LOG_DIR) to a directory you can write");
        }
    }

    /// <summary>An STS endpoint from an option or the environment: an absolute http(s) URL, or bad input.</summary>
    private static string? Endpoint(string? value, string source)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0) return value;
        throw new BadInputException($"{source} '{InputFile.Shown(value)}' is not an http(s) URL.",
            $"give the STS endpoint as a URL like https://sts.eu-west-1.amazonaws.com, or unset {source}");
    }

    public GlobalSettings Settings { get; }

    /// <summary>The STS endpoint of the account guard (--sts-endpoint, else $PLATFORM_STS_ENDPOINT), or null for AWS's own.</summary>
    public string? StsEndpoint { get; }

    public string LogFile { get; }

    public ILogger Log { get; }

    public LoggingLevelSwitch ConsoleLevel { get; }

    /// <summary>Where reports go (stdout). Logs go to stderr, so reports can be piped.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>A person at a terminal who can answer prompts.</summary>
    public bool Interactive => !Console.IsInputRedirected && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public ProjectLayout Layout => _layout ?? throw _layoutError!;

    /// <summary>The rollout file (--rollout, else rollout.yaml next to Pulumi.yaml); missing or invalid is bad input.</summary>
    public RolloutFile Rollout => _rollout ??= RolloutFile.Load(RolloutPath, Layout.Stacks);

    /// <summary>
    /// The rollout file for commands that work without one (plan, stacks, preview --stack, destroy): null only when no
    /// --rollout was given and the default file does not exist. A given file that is missing, or any invalid one, is
    /// bad input as everywhere else.
    /// </summary>
    public RolloutFile? OptionalRollout =>
        Settings.RolloutFile is null && !Path.Exists(RolloutPath) ? null : Rollout;

    private string RolloutPath => Settings.RolloutFile ?? Path.Combine(Layout.RootDirectory, RolloutFile.DefaultFileName);

    public IPulumiCli Cli => _cli ??= new PulumiCli(Layout.RootDirectory, Log,
        locks: new DiyLocks(Environment.GetEnvironmentVariable("PULUMI_BACKEND_URL") ?? Layout.BackendUrl, Layout.ProjectName, Layout.RootDirectory));

    public AccountGuard Guard => new(new StsIdentityResolver(StsEndpoint));

    public StackAwsAccess Access(string stack) => StackAwsAccess.From(Layout.ReadStack(stack));

    /// <summary>Checks a stack name given on the command line: a valid Pulumi name with a Pulumi.&lt;stack&gt;.yaml.</summary>
    public string RequireStack(string stack)
    {
        if (stack.Length is 0 or > 100 || !StackNameRule().IsMatch(stack))
            throw new BadInputException($"'{InputFile.Shown(stack)}' is not a valid stack name: a stack name may only contain alphanumeric, hyphens, underscores, or periods (at most 100).",
                $"use one of the known stacks: {string.Join(", ", Layout.Stacks)}");
        if (!Layout.Stacks.Contains(stack))
            throw new BadInputException($"Unknown stack '{stack}': there is no Pulumi.{stack}.yaml. Known stacks: {string.Join(", ", Layout.Stacks)}.",
                $"use one of the known stacks, or create Pulumi.{stack}.yaml (docs/configuration.md)");
        return stack;
    }

    public void Dispose() => _logger.Dispose();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex StackNameRule();
}
