using System.Text;
using System.Text.Json;

namespace Platform.Ingest;

/// <summary>
/// Structured logs: one JSON object a line, <c>{"level":…,"event":…, fields…}</c>, written straight to stdout
/// (not through Console.Out, which the Lambda .NET runtime prefixes with a timestamp and request id), so that
/// CloudWatch Logs Insights discovers every field. Callers pass names, keys, ETags, sizes and reasons: never
/// document content, never credentials.
/// </summary>
internal sealed class IngestLog(TextWriter output)
{
    public static IngestLog Stdout() =>
        new(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true });

    public void Info(string @event, params (string Name, object? Value)[] fields) => Write("info", @event, fields);

    public void Warn(string @event, params (string Name, object? Value)[] fields) => Write("warn", @event, fields);

    public void Error(string @event, params (string Name, object? Value)[] fields) => Write("error", @event, fields);

    private void Write(string level, string @event, (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("level", level);
            json.WriteString("event", @event);
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null: break;
                    case int number: json.WriteNumber(name, number); break;
                    case long number: json.WriteNumber(name, number); break;
                    default: json.WriteString(name, value.ToString()); break;
                }
            }
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        output.WriteLine(line);
    }
}
