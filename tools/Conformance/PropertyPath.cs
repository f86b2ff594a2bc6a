using System.Text;

namespace Platform.Conformance;

/// <summary><c>[*]</c> in a property path: every element of a list.</summary>
public sealed record WildcardAccessor : Accessor
{
    public override string ToString() => "[*]";
}

/// <summary>The property paths of <c>ignoreChanges</c>, <c>replaceOnChanges</c> and <c>hideDiffs</c>: <c>a.b[0]["c"]</c>, <c>a[*]</c>.</summary>
public static class PropertyPath
{
    /// <summary>The segments of <paramref name="path"/> (the first is the property name), or null with an error.</summary>
    public static IReadOnlyList<Accessor>? Parse(string path, out string? error)
    {
        error = null;
        var segments = new List<Accessor>();
        var i = 0;
        var name = ReadName(path, ref i);
        if (name.Length == 0)
        {
            error = "it does not start with a property name";
            return null;
        }
        segments.Add(new PropertyAccessor(name));
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                name = ReadName(path, ref i);
                if (name.Length == 0)
                {
                    error = "a '.' is not followed by a name";
                    return null;
                }
                segments.Add(new PropertyAccessor(name));
                continue;
            }
            // path[i] == '['
            i++;
            if (i < path.Length && path[i] == '*' && i + 1 < path.Length && path[i + 1] == ']')
            {
                segments.Add(new WildcardAccessor());
                i += 2;
                continue;
            }
            if (i < path.Length && path[i] == '"')
            {
                i++;
                var key = new StringBuilder();
                while (i < path.Length && path[i] != '"')
                {
                    if (path[i] == '\\' && i + 1 < path.Length) i++;
                    key.Append(path[i++]);
                }
                if (i + 1 >= path.Length || path[i + 1] != ']')
                {
                    error = "a quoted key is not closed with \"]";
                    return null;
                }
                i += 2;
                segments.Add(new KeyAccessor(key.ToString()));
                continue;
            }
            var start = i;
            while (i < path.Length && char.IsAsciiDigit(path[i])) i++;
            if (i == start || i >= path.Length || path[i] != ']' || !int.TryParse(path.AsSpan(start, i - start), out var index))
            {
                error = "an index must be [0], [*] or [\"key\"]";
                return null;
            }
            i++;
            segments.Add(new IndexAccessor(index));
        }
        return segments;
    }

    private static string ReadName(string path, ref int i)
    {
        var s = i;
        while (i < path.Length && path[i] is not ('.' or '[')) i++;
        return path[s..i];
    }
}
