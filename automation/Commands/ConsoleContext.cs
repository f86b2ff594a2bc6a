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

    public ConsoleContext(string command, GlobalSettings settings)
    {
        Settings = settings;
        var start = settings.Cwd ?? Directory.GetCurrentDirectory();
        string logDir;
        try
        {
            _layout = ProjectLayout.Discover(start);
            logDir = settings.LogDirectory ?? Environment.GetEnvironmentVariable("PLATFORM_LOG_DIR") ?? Path.Combine(_layout.RootDirectory, ".platform", "logs");
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            LayoutError = e.Message;
            logDir = settings.LogDirectory ?? Environment.GetEnvironmentVariable("PLATFORM_LOG_DIR") ?? Path.Combine(Path.GetTempPath(), "platform-logs");
        }
        Directory.CreateDirectory(logDir);
        LogFile = Path.Combine(logDir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{command}-{Environment.ProcessId}.jsonl");
        ConsoleLevel = new LoggingLevelSwitch(settings.Verbose ? LogEventLevel.Debug : LogEventLevel.Information);
        _logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Command", command)
            .Enrich.WithProperty("Run", Path.GetFileNameWithoutExtension(LogFile))
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
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

    public GlobalSettings Settings { get; }

    public string? LayoutError { get; }

    public string LogFile { get; }

    public ILogger Log { get; }

    public LoggingLevelSwitch ConsoleLevel { get; }

    /// <summary>Where reports go (stdout). Logs go to stderr, so reports can be piped.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>A person at a terminal who can answer prompts.</summary>
    public bool Interactive => !Console.IsInputRedirected && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public ProjectLayout Layout => _layout ?? throw new BadInputException(LayoutError ?? "No Pulumi project found.", "run from the repository or pass --cwd DIR");

    public RolloutFile Rollout => _rollout ??= RolloutFile.Load(Settings.RolloutFile ?? Path.Combine(Layout.RootDirectory, RolloutFile.DefaultFileName), Layout.Stacks);

    public IPulumiCli Cli => _cli ??= new PulumiCli(Layout.RootDirectory, Log);

    public AccountGuard Guard => new(new StsIdentityResolver(Settings.StsEndpoint ?? Environment.GetEnvironmentVariable("PLATFORM_STS_ENDPOINT")));

    public StackAwsAccess Access(string stack) => StackAwsAccess.From(Layout.ReadStack(stack));

    /// <summary>Checks a stack name given on the command line: a valid Pulumi name with a Pulumi.&lt;stack&gt;.yaml.</summary>
    public string RequireStack(string stack)
    {
        if (stack.Length is 0 or > 100 || !StackNameRule().IsMatch(stack))
            throw new BadInputException($"'{stack}' is not a valid stack name: a stack name may only contain alphanumeric, hyphens, underscores, or periods (at most 100).");
        if (!Layout.Stacks.Contains(stack))
            throw new BadInputException($"Unknown stack '{stack}': there is no Pulumi.{stack}.yaml. Known stacks: {string.Join(", ", Layout.Stacks)}.",
                $"use one of the known stacks, or create Pulumi.{stack}.yaml (docs/configuration.md)");
        return stack;
    }

    public void Dispose() => _logger.Dispose();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex StackNameRule();
}
