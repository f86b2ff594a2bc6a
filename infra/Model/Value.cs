using System.Globalization;
using System.Text;

namespace Platform.Infra.Model;

/// <summary>
/// A value in a Pulumi YAML template: literals, references to resource outputs or config, interpolated strings
/// and fn:: built-ins. Everything a component writes ends up as a tree of these, rendered by <see cref="TemplateWriter"/>.
/// </summary>
public abstract record Value
{
    public static Value Of(string text) => new StringValue(text);
    public static Value Of(double number) => new NumberValue(number);
    public static Value Of(bool flag) => new BoolValue(flag);
    public static Value Of(IEnumerable<Value> items) => new ListValue(items.ToArray());
}

/// <summary>A literal string. The writer escapes every <c>$</c> so that Pulumi never reads it as interpolation.</summary>
public sealed record StringValue(string Text) : Value;

public sealed record NumberValue(double Number) : Value
{
    public string Render() =>
        Number == Math.Floor(Number) && Math.Abs(Number) < 1e15
            ? ((long)Number).ToString(CultureInfo.InvariantCulture)
            : Number.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record BoolValue(bool Flag) : Value;

public sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public bool Equals(ListValue? other) => other is not null && Items.SequenceEqual(other.Items);
    public override int GetHashCode() => Items.Count;
}

/// <summary>
/// An object. <see cref="From"/> sorts keys ordinally (deterministic output where order is free);
/// <see cref="Ordered"/> keeps a fixed, meaningful order (a resource's type before its properties).
/// </summary>
public sealed record MapValue : Value
{
    private MapValue(IReadOnlyList<KeyValuePair<string, Value>> entries) => Entries = entries;

    public IReadOnlyList<KeyValuePair<string, Value>> Entries { get; }

    public Value? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    public static MapValue From(IEnumerable<KeyValuePair<string, Value?>> entries) =>
        Ordered(entries.OrderBy(e => e.Key, StringComparer.Ordinal));

    public static MapValue Ordered(IEnumerable<KeyValuePair<string, Value?>> entries)
    {
        var list = new List<KeyValuePair<string, Value>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is null) continue;
            if (key.Contains('$'))
                throw new ArgumentException($"Object key '{key}' contains '$', which Pulumi YAML would read as interpolation.");
            if (!seen.Add(key)) throw new ArgumentException($"Object key '{key}' appears twice.");
            list.Add(new(key, value));
        }
        return new MapValue(list);
    }

    public bool Equals(MapValue? other) =>
        other is not null && Entries.Count == other.Entries.Count &&
        Entries.Zip(other.Entries).All(p => p.First.Key == p.Second.Key && Equals(p.First.Value, p.Second.Value));

    public override int GetHashCode() => Entries.Count;
}

/// <summary><c>${resource.path}</c>: an output of a resource (or, with an empty path, the resource itself).</summary>
public sealed record ReferenceValue(string Resource, string Path) : Value
{
    public string Expression => Path.Length == 0 ? Resource : Path.StartsWith('[') ? Resource + Path : $"{Resource}.{Path}";
}

/// <summary><c>${key}</c>: a value of the template's <c>config:</c> block (declared there, secret or not).</summary>
public sealed record ConfigValue(string Key) : Value;

/// <summary>A string made of literal text and references: rendered as one interpolated string.</summary>
public sealed record InterpolationValue(IReadOnlyList<Value> Parts) : Value
{
    public bool Equals(InterpolationValue? other) => other is not null && Parts.SequenceEqual(other.Parts);
    public override int GetHashCode() => Parts.Count;

    /// <summary>The interpolated string body; literal parts are escaped, references are written as <c>${…}</c>.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var part in Parts)
        {
            text.Append(part switch
            {
                StringValue s => TemplateWriter.Escape(s.Text),
                NumberValue n => n.Render(),
                BoolValue b => b.Flag ? "true" : "false",
                ReferenceValue r => "${" + r.Expression + "}",
                ConfigValue c => "${" + c.Key + "}",
                _ => throw new InvalidOperationException($"{part.GetType().Name} cannot be interpolated into a string; use fn::toJSON or fn::join."),
            });
        }
        return text.ToString();
    }
}

/// <summary>A Pulumi YAML built-in function, written as <c>{fn::name: argument}</c>.</summary>
public sealed record FunctionValue(string Name, Value Argument) : Value
{
    public static readonly IReadOnlySet<string> BuiltIns = new HashSet<string>(StringComparer.Ordinal)
    {
        "fn::invoke", "fn::join", "fn::split", "fn::select", "fn::toJSON", "fn::toBase64", "fn::fromBase64",
        "fn::secret", "fn::unsecret", "fn::readFile", "fn::filebase64", "fn::filebase64sha256", "fn::sha1",
        "fn::length", "fn::singleOrNone", "fn::stringAsset", "fn::fileAsset", "fn::fileArchive", "fn::assetArchive",
    };

    public string Name { get; } = BuiltIns.Contains(Name) ? Name : throw new ArgumentException($"'{Name}' is not a Pulumi YAML built-in function.");

    public static FunctionValue ToJson(Value document) => new("fn::toJSON", document);
    public static FunctionValue Join(string delimiter, IEnumerable<Value> items) =>
        new("fn::join", new ListValue([new StringValue(delimiter), new ListValue(items.ToArray())]));
    public static FunctionValue Secret(Value value) => new("fn::secret", value);

    /// <summary>
    /// <c>fn::fileArchive</c>: a zip file (or folder) Pulumi reads and hashes when it evaluates the template; a relative
    /// path is resolved from the program directory, where Pulumi runs the compiler.
    /// </summary>
    public static FunctionValue FileArchive(string path) => new("fn::fileArchive", new StringValue(path));
}
