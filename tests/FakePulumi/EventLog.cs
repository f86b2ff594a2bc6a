using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakePulumi;

/// <summary>
/// Writes pulumi's --event-log: JSON lines <c>{"sequence":n,"timestamp":unix,"&lt;payload&gt;":{…}}</c>. Every engine run
/// re-opens the file with O_TRUNC and restarts the sequence at 0, and ends with <c>{"cancelEvent":{}}</c>.
/// </summary>
public sealed class EventLog(string? path)
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private FileStream? _file;
    private int _sequence;

    public void StartRun()
    {
        if (path is null) return;
        _file?.Dispose();
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _sequence = 0;
    }

    public void Write(string kind, JsonNode payload)
    {
        if (_file is null) return;
        var line = new JsonObject
        {
            ["sequence"] = _sequence++,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            [kind] = payload,
        };
        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString(Options) + "\n");
        _file.Write(bytes);
        _file.Flush();
    }

    public void EndRun()
    {
        if (_file is null) return;
        Write("cancelEvent", new JsonObject());
        _file.Dispose();
        _file = null;
    }
}
