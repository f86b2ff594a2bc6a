using System.Text;

namespace Platform.Conformance;

/// <summary>One step after the root of a <c>${...}</c> reference.</summary>
public abstract record Accessor;

/// <summary><c>.name</c></summary>
public sealed record PropertyAccessor(string Name) : Accessor
{
    public override string ToString() => "." + Name;
}

/// <summary><c>[0]</c></summary>
public sealed record IndexAccessor(int Index) : Accessor
{
    public override string ToString() => $"[{Index}]";
}

/// <summary><c>["key"]</c></summary>
public sealed record KeyAccessor(string Key) : Accessor
{
    public override string ToString() => $"[\"{Key.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
}

/// <summary>A parsed <c>${root.a[0]["b"]}</c>.</summary>
public sealed record Reference(string Root, IReadOnlyList<Accessor> Accessors)
{
    public override string ToString() => "${" + Root + string.Concat(Accessors) + "}";
}

/// <summary>
/// Pulumi YAML string interpolation (pulumi-yaml <c>ast/interpolation.go</c>): <c>$$</c> is an escaped <c>$</c>,
/// <c>${...}</c> is a reference, a lone <c>$</c> is literal. A root name ends at <c>.</c>, <c>[</c> or <c>}</c>.
/// </summary>
public static class Interpolation
{
    /// <summary>The parts of a string: literal text (unescaped) and references.</summary>
    public sealed record Parsed(IReadOnlyList<object> Parts)
    {
        public IEnumerable<Reference> References => Parts.OfType<Reference>();

        /// <summary>The whole string is exactly one <c>${...}</c>: its value keeps its own type.</summary>
        public bool IsSymbol => Parts is [Reference];

        public bool HasReferences => Parts.Any(p => p is Reference);
    }

    /// <summary>Parses <paramref name="text"/>; on malformed input returns null and an error message.</summary>
    public static Parsed? Parse(string text, out string? error)
    {
        error = null;
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }
            var next = text[i + 1];
            if (next == '$')
            {
                literal.Append('$');
                i += 2;
                continue;
            }
            if (next != '{')
            {
                literal.Append('$');
                i++;
                continue;
            }
            var reference = ParseReference(text, i + 2, out var end, out error);
            if (reference is null) return null;
            if (literal.Length > 0)
            {
                parts.Add(literal.ToString());
                literal.Clear();
            }
            parts.Add(reference);
            i = end;
        }
        if (literal.Length > 0) parts.Add(literal.ToString());
        return new Parsed(parts);
    }

    /// <summary>Parses a reference body starting after <c>${</c>; <paramref name="end"/> is after the closing brace.</summary>
    private static Reference? ParseReference(string text, int start, out int end, out string? error)
    {
        end = start;
        error = null;
        var i = start;
        var root = ReadName(text, ref i);
        if (i >= text.Length)
        {
            error = $"unterminated interpolation: '${{{text[start..]}' has no closing '}}'";
            return null;
        }
        if (root.Length == 0)
        {
            error = text[i] == '}' ? "empty interpolation '${}'" : $"interpolation '${{{Excerpt(text, start)}' does not start with a name";
            return null;
        }
        var accessors = new List<Accessor>();
        while (true)
        {
            if (i >= text.Length)
            {
                error = $"unterminated interpolation: '${{{text[start..]}' has no closing '}}'";
                return null;
            }
            var c = text[i];
            if (c == '}')
            {
                end = i + 1;
                return new Reference(root, accessors);
            }
            if (c == '.')
            {
                i++;
                var name = ReadName(text, ref i);
                if (name.Length == 0)
                {
                    if (i >= text.Length) { error = $"unterminated interpolation: '${{{text[start..]}' has no closing '}}'"; return null; }
                    error = $"empty property name after '.' in '${{{Excerpt(text, start)}'";
                    return null;
                }
                accessors.Add(new PropertyAccessor(name));
                continue;
            }
            if (c == '[')
            {
                i++;
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    var key = new StringBuilder();
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length) i++;
                        key.Append(text[i]);
                        i++;
                    }
                    if (i + 1 >= text.Length || text[i + 1] != ']')
                    {
                        error = i >= text.Length
                            ? $"unterminated interpolation: '${{{text[start..]}' has no closing '}}'"
                            : $"a quoted key must be followed by ']' in '${{{Excerpt(text, start)}'";
                        return null;
                    }
                    i += 2;
                    accessors.Add(new KeyAccessor(key.ToString()));
                    continue;
                }
                var digits = i;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i == digits || i >= text.Length || text[i] != ']')
                {
                    error = i >= text.Length
                        ? $"unterminated interpolation: '${{{text[start..]}' has no closing '}}'"
                        : $"an index must be a number or a quoted key, as in [0] or [\"key\"], in '${{{Excerpt(text, start)}'";
                    return null;
                }
                if (!int.TryParse(text.AsSpan(digits, i - digits), out var index))
                {
                    error = $"index too large in '${{{Excerpt(text, start)}'";
                    return null;
                }
                i++;
                accessors.Add(new IndexAccessor(index));
                continue;
            }
            error = $"unexpected '{c}' in '${{{Excerpt(text, start)}'";
            return null;
        }
    }

    private static string ReadName(string text, ref int i)
    {
        var s = i;
        while (i < text.Length && text[i] is not ('.' or '[' or '}')) i++;
        return text[s..i];
    }

    private static string Excerpt(string text, int start)
    {
        var close = text.IndexOf('}', start);
        return close < 0 ? text[start..] : text[start..(close + 1)];
    }
}
