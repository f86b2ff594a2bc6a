using System.Text;
using System.Text.Json;

namespace Platform.Automation.Pulumi;

/// <summary>One line of pulumi's <c>--event-log</c>: <c>{"sequence":n,"timestamp":t,"&lt;kind&gt;":{…}}</c>.</summary>
public sealed record EngineEvent(int Sequence, long Timestamp, string Kind, JsonElement Payload)
{
    /// <summary>Parses one line; null for blank or invalid lines (the engine never writes those, but a torn read could).</summary>
    public static EngineEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            int seq = 0;
            long ts = 0;
            string? kind = null;
            JsonElement payload = default;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "sequence": p.Value.TryGetInt32(out seq); break;
                    case "timestamp": p.Value.TryGetInt64(out ts); break;
                    default:
                        if (p.Value.ValueKind == JsonValueKind.Object && kind is null)
                        {
                            kind = p.Name;
                            payload = p.Value.Clone();
                        }
                        break;
                }
            }
            return kind is null ? null : new EngineEvent(seq, ts, kind, payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The engine's "end of this run" marker (not a user cancellation).</summary>
    public bool IsEndOfRun => Kind == "cancelEvent";
}

/// <summary>
/// Tails an event log by byte offset while pulumi writes it. Only <c>\n</c>-terminated lines are consumed; when the file
/// shrinks (pulumi truncates it at the start of every engine run) reading restarts at 0 and <see cref="RunStarted"/> fires.
/// </summary>
public sealed class EventLogTailer(string path)
{
    private long _offset;
    private readonly List<byte> _partial = [];
    private readonly List<EngineEvent> _currentRun = [];
    private int _lastSequence = -1;

    /// <summary>Events of the latest engine run, in order.</summary>
    public IReadOnlyList<EngineEvent> CurrentRun => _currentRun;

    public int Runs { get; private set; }

    public event Action<EngineEvent>? EventRead;

    public event Action? RunStarted;

    /// <summary>Reads whatever was appended since the last call. Safe to call when the file does not exist yet.</summary>
    public void Poll()
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException) { return; }
        catch (DirectoryNotFoundException) { return; }
        using (stream)
        {
            if (stream.Length < _offset)
            {
                // Truncated: a new engine run (e.g. `up` without --skip-preview).
                _offset = 0;
                _partial.Clear();
                NewRun();
            }
            if (stream.Length == _offset) return;
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                _offset += read;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        _partial.Add(buffer[i]);
                        continue;
                    }
                    var line = Encoding.UTF8.GetString(_partial.ToArray());
                    _partial.Clear();
                    if (EngineEvent.Parse(line) is { } e) Accept(e);
                }
            }
        }
    }

    private void Accept(EngineEvent e)
    {
        // Sequence restarting at 0 also marks a new run (a truncation we did not observe between two polls).
        if (Runs == 0 || (e.Sequence == 0 && _lastSequence >= 0 && _currentRun.Count > 0)) NewRun();
        _lastSequence = e.Sequence;
        _currentRun.Add(e);
        EventRead?.Invoke(e);
    }

    private void NewRun()
    {
        _currentRun.Clear();
        _lastSequence = -1;
        Runs++;
        RunStarted?.Invoke();
    }
}
