using System.Runtime.InteropServices;

namespace Platform.Automation.Pulumi;

/// <summary>
/// Ctrl+C / SIGTERM handling. The console never kills pulumi (a kill leaves a stale lock and pending operations): on
/// the first signal it cancels its own work and sends the running pulumi SIGINT, which makes pulumi stop after the
/// current step, save state and release the lock.
/// </summary>
public static class Interrupts
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _count;

    public static CancellationToken Token => Source.Token;

    public static int Count => _count;

    /// <summary>Installs the handlers (once, at start-up). The process is not terminated by the signal: commands wind down.</summary>
    public static void Install()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            Registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                if (Interlocked.Increment(ref _count) == 1)
                {
                    Console.Error.WriteLine("platform: interrupted; asking pulumi to stop cleanly (it finishes the current step and releases the lock) ...");
                    Source.Cancel();
                }
            }));
        }
    }

    /// <summary>
    /// Sends SIGINT to a child. When the console runs in the foreground of a terminal, a Ctrl+C already reached the
    /// child (it shares our process group), and a second SIGINT would make pulumi terminate immediately; so it is
    /// forwarded only when the child would not have received it from the terminal.
    /// </summary>
    public static void Forward(int pid)
    {
        if (OperatingSystem.IsWindows()) return; // Ctrl+C reaches every process of the console on Windows.
        if (ChildSharesTerminalSignal()) return;
        _ = kill(pid, 2 /* SIGINT */);
    }

    private static bool ChildSharesTerminalSignal()
    {
        try
        {
            return isatty(0) == 1 && tcgetpgrp(0) == getpgrp();
        }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern int isatty(int fd);

    [DllImport("libc")]
    private static extern int tcgetpgrp(int fd);

    [DllImport("libc")]
    private static extern int getpgrp();
}
