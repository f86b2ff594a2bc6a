using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Serilog;

namespace Platform.Automation.Pulumi;

/// <summary>The result of one child process: exit code, output, and the events of its last engine run.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<EngineEvent> Events, TimeSpan Duration);

/// <summary>
/// The one class that owns the pulumi child process. Arguments are a list (never a shell string); every command gets
/// an explicit <c>--cwd</c> and <c>--non-interactive</c>, stack commands an explicit <c>--stack</c>; the environment never
/// carries PULUMI_STACK / PULUMI_CONFIG (pulumi would hand them to the compiler, and the inherited value wins, so a
/// leaked value would compile the wrong stack); stdout and stderr are streamed to the log; the event log is tailed by byte
/// offset; cancellation sends SIGINT and waits (a kill leaves a stale lock).
/// </summary>
public sealed class PulumiProcess
{
    /// <summary>Variables pulumi passes to the compiler itself; an inherited value would override the stack's.</summary>
    public static readonly IReadOnlyList<string> StrippedVariables =
        ["PULUMI_STACK", "PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_ROOT_DIRECTORY"];

    private readonly string _projectDirectory;
    private readonly ILogger _log;
    private readonly Func<string?> _path;

    /// <param name="path">The PATH to find pulumi on (default: the process's own).</param>
    public PulumiProcess(string projectDirectory, ILogger log, Func<string?>? path = null)
    {
        _projectDirectory = Path.GetFullPath(projectDirectory);
        _log = log.ForContext<PulumiProcess>();
        _path = path ?? (() => Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>Builds the argument list: the command, then <c>--stack</c>, <c>--cwd</c>, <c>--non-interactive</c>, <c>--color never</c> and the event log.</summary>
    public IReadOnlyList<string> BuildArguments(IReadOnlyList<string> command, string? stack, string? eventLog)
    {
        var args = new List<string>(command);
        if (stack is not null) args.AddRange(["--stack", stack]);
        args.AddRange(["--cwd", _projectDirectory, "--non-interactive", "--color", "never"]);
        if (eventLog is not null) args.AddRange(["--event-log", eventLog]);
        return args;
    }

    /// <summary>The child's start info: arguments as a list, the sanitised environment, stdin closed.</summary>
    public ProcessStartInfo BuildStartInfo(string executable, IReadOnlyList<string> arguments, bool eventLog)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _projectDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var name in StrippedVariables) start.Environment.Remove(name);
        start.Environment["PULUMI_SKIP_UPDATE_CHECK"] = "true";
        start.Environment["NO_COLOR"] = "1";
        if (eventLog) start.Environment["PULUMI_DEBUG_COMMANDS"] = "true";
        else start.Environment.Remove("PULUMI_DEBUG_COMMANDS");
        return start;
    }

    /// <summary>Finds <c>pulumi</c> on PATH the way the OS would, so that a missing CLI gets a clear error and an install hint.</summary>
    public string ResolveExecutable()
    {
        var path = _path() ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "pulumi.exe", "pulumi.cmd" } : new[] { "pulumi" };
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new PulumiCliMissingException(path);
    }

    /// <summary>Runs pulumi once. Cancellation sends SIGINT and waits for pulumi to exit on its own.</summary>
    public async Task<CommandResult> RunAsync(string? stack, IReadOnlyList<string> command, bool eventLog, Action<EngineEvent>? onEvent,
        CancellationToken cancellationToken, bool logStdout = true)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var executable = ResolveExecutable();
        string? logDir = eventLog ? Directory.CreateTempSubdirectory("platform-eventlog-").FullName : null;
        var logFile = logDir is null ? null : Path.Combine(logDir, "eventlog.txt");
        var args = BuildArguments(command, stack, logFile);
        var label = $"pulumi {string.Join(' ', command)}";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var tailer = logFile is null ? null : new EventLogTailer(logFile);
        if (tailer is not null && onEvent is not null) tailer.EventRead += onEvent;
        var watch = Stopwatch.StartNew();
        _log.Debug("Running {Command} for stack {Stack}", label, stack ?? "-");
        using var process = new Process { StartInfo = BuildStartInfo(executable, args, eventLog), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (logStdout) _log.Debug("[{Stack}] {Line}", stack ?? "pulumi", e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            _log.Debug("[{Stack}] stderr: {Line}", stack ?? "pulumi", e.Data);
        };
        try
        {
            try
            {
                process.Start();
            }
            catch (Win32Exception)
            {
                throw new PulumiCliMissingException(_path() ?? "");
            }
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var interrupted = 0;
            await using var registration = cancellationToken.Register(() =>
            {
                if (Interlocked.Exchange(ref interrupted, 1) == 0)
                {
                    _log.Warning("Interrupt: sending SIGINT to {Command} (pid {Pid}) and waiting for it to exit", label, process.Id);
                    Interrupts.Forward(process.Id);
                }
            });
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                tailer?.Poll();
                await Task.WhenAny(exited, Task.Delay(100, CancellationToken.None));
            }
            await exited;
            tailer?.Poll();
            watch.Stop();
            var result = new CommandResult(process.ExitCode, Snapshot(stdout), Snapshot(stderr), tailer?.CurrentRun.ToArray() ?? [], watch.Elapsed);
            _log.Debug("{Command} for stack {Stack} exited with {ExitCode} after {Elapsed:0.0}s", label, stack ?? "-", result.ExitCode, watch.Elapsed.TotalSeconds);
            if (interrupted == 1 && result.ExitCode != 0) throw new PulumiCancelledException(stack ?? "(none)", string.Join(' ', command));
            return result;
        }
        finally
        {
            if (logDir is not null)
            {
                try { Directory.Delete(logDir, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    private static string Snapshot(StringBuilder b)
    {
        lock (b) return b.ToString();
    }
}
