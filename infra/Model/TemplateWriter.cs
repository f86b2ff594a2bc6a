using System.Text;

namespace Platform.Infra.Model;

/// <summary>
/// Writes a template as YAML: block maps and lists, keys in ordinal order, every string double-quoted with JSON-style
/// escapes (valid YAML 1.2, so nothing is ever read as a number, a boolean or null by mistake). Same input, same bytes.
/// </summary>
public static class TemplateWriter
{
    /// <summary>Escapes a literal for Pulumi YAML: every <c>$</c> is doubled (the interpolation parser reads <c>$$</c> as <c>$</c>).</summary>
    public static string Escape(string literal) => literal.Replace("$", "$$", StringComparison.Ordinal);

    public static string Write(Template template) => Write(template.ToValue());

    public static string Write(Value root)
    {
        var text = new StringBuilder(64 * 1024);
        if (root is MapValue map) WriteMapBody(text, map, 0);
        else
        {
            WriteScalar(text, root);
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void WriteMapBody(StringBuilder text, MapValue map, int indent)
    {
        foreach (var (key, value) in map.Entries)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteNested(text, value, indent);
        }
    }

    private static void WriteNested(StringBuilder text, Value value, int indent)
    {
        switch (value)
        {
            case MapValue { Entries.Count: 0 }:
                text.Append(" {}\n");
                break;
            case MapValue m:
                text.Append('\n');
                WriteMapBody(text, m, indent + 2);
                break;
            case ListValue { Items.Count: 0 }:
                text.Append(" []\n");
                break;
            case ListValue l:
                text.Append('\n');
                WriteListBody(text, l, indent + 2);
                break;
            case FunctionValue f:
                text.Append('\n').Append(' ', indent + 2).Append(Key(f.Name)).Append(':');
                WriteNested(text, f.Argument, indent + 2);
                break;
            default:
                text.Append(' ');
                WriteScalar(text, value);
                text.Append('\n');
                break;
        }
    }

    private static void WriteListBody(StringBuilder text, ListValue list, int indent)
    {
        foreach (var item in list.Items)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case MapValue { Entries.Count: > 0 } m:
                    // "- key: value" with the following keys aligned under the first.
                    var first = true;
                    foreach (var (key, value) in m.Entries)
                    {
                        if (first) text.Append(' ');
                        else text.Append(' ', indent + 2);
                        first = false;
                        text.Append(Key(key)).Append(':');
                        WriteNested(text, value, indent + 2);
                    }
                    break;
                case FunctionValue f:
                    text.Append(' ').Append(Key(f.Name)).Append(':');
                    WriteNested(text, f.Argument, indent + 2);
                    break;
                case ListValue { Items.Count: > 0 } l:
                    text.Append('\n');
                    WriteListBody(text, l, indent + 2);
                    break;
                default:
                    WriteNested(text, item, indent);
                    break;
            }
        }
    }

    private static void WriteScalar(StringBuilder text, Value value)
    {
        switch (value)
        {
            case StringValue s: Quote(text, Escape(s.Text)); break;
            case NumberValue n: text.Append(n.Render()); break;
            case BoolValue b: text.Append(b.Flag ? "true" : "false"); break;
            case ReferenceValue r: Quote(text, "${" + r.Expression + "}"); break;
            case ConfigValue c: Quote(text, "${" + c.Key + "}"); break;
            case InterpolationValue i: Quote(text, i.Render()); break;
            case MapValue { Entries.Count: 0 }: text.Append("{}"); break;
            case ListValue { Items.Count: 0 }: text.Append("[]"); break;
            default: throw new InvalidOperationException($"{value.GetType().Name} is not a scalar.");
        }
    }

    private static string Key(string key)
    {
        if (IsPlainKey(key)) return key;
        var quoted = new StringBuilder();
        Quote(quoted, key);
        return quoted.ToString();
    }

    /// <summary>A key YAML reads as the same string unquoted (checked without allocating: the writer calls this for every key).</summary>
    private static bool IsPlainKey(string key)
    {
        if (key.Length == 0 || !(char.IsAsciiLetter(key[0]) || key[0] == '_') || key[^1] == ':') return false;
        foreach (var c in key)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.' or '/')) return false;
        return key.Length > 5 || !IsYamlKeyword(key);
    }

    private static bool IsYamlKeyword(string key) => key.ToLowerInvariant() is "true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n";

    /// <summary>The characters <see cref="Quote"/> escapes.</summary>
    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), '"', '\\', '\u007f', '\u0085', '\u2028', '\u2029']);

    private static void Quote(StringBuilder text, string s)
    {
        text.Append('"');
        if (!s.AsSpan().ContainsAny(Escaped))
        {
            text.Append(s).Append('"');
            return;
        }
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c is '\u0085' or '\u2028' or '\u2029')
                        text.Append("\\u").Append(((int)c).ToString("x4"));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
