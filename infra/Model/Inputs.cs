using System.Collections;
using System.Runtime.CompilerServices;

namespace Platform.Infra.Model;

/// <summary>A nested input object (generated from @pulumi/aws input types): knows how to render itself.</summary>
public interface IInputObject
{
    Value ToValue();
}

/// <summary>
/// A typed reference to an output of a resource, rendered <c>${name.path}</c>. The type parameter is what the
/// provider declares for that output, so a reference can only be passed where Pulumi accepts it.
/// </summary>
public sealed class Output<T>
{
    internal Output(Value expression) => Expression = expression;

    public Value Expression { get; }

    /// <summary>An element of a list output: <c>${name.path[index]}</c>.</summary>
    public Output<TItem> Item<TItem>(int index) => Expression is ReferenceValue r
        ? new Output<TItem>(new ReferenceValue(r.Resource, $"{r.Path}[{index}]"))
        : throw new InvalidOperationException("Only a direct reference can be indexed.");

    public override string ToString() => Expression is ReferenceValue r ? "${" + r.Expression + "}" : Expression.ToString();
}

/// <summary>Builds interpolated strings from literals and outputs: <c>Output.Format($"{bucket.Arn}/*")</c>.</summary>
public static class Output
{
    public static Output<string> Format(ref InterpolationBuilder builder) => builder.Build();

    /// <summary>A reference to a template <c>config:</c> value.</summary>
    public static Output<T> Config<T>(string key) => new(new ConfigValue(key));

    internal static Output<T> Reference<T>(string resource, string path) => new(new ReferenceValue(resource, path));

    /// <summary>Outputs joined by a literal separator into one interpolated string: <c>${a.id},${b.id}</c>.</summary>
    public static Output<string> Join(string separator, IEnumerable<Output<string>> items)
    {
        var parts = new List<Value>();
        foreach (var item in items)
        {
            if (parts.Count > 0 && separator.Length > 0) parts.Add(new StringValue(separator));
            parts.Add(item.Expression);
        }
        return Concat(parts);
    }

    /// <summary>One string of literal and output parts, adjacent literals merged so that the template stays readable.</summary>
    private static Output<string> Concat(List<Value> parts)
    {
        var merged = new List<Value>();
        foreach (var part in parts.SelectMany(p => p is InterpolationValue nested ? nested.Parts : [p]))
        {
            if (part is StringValue s && merged.Count > 0 && merged[^1] is StringValue prev)
                merged[^1] = new StringValue(prev.Text + s.Text);
            else
                merged.Add(part);
        }
        return merged.Count switch
        {
            0 => new Output<string>(new StringValue("")),
            1 => new Output<string>(merged[0]),
            _ => new Output<string>(new InterpolationValue(merged)),
        };
    }

    [InterpolatedStringHandler]
    public ref struct InterpolationBuilder
    {
        private readonly List<Value> _parts;

        public InterpolationBuilder(int literalLength, int formattedCount)
        {
            _parts = new List<Value>(formattedCount * 2 + 1);
        }

        public void AppendLiteral(string text)
        {
            if (text.Length > 0) _parts.Add(new StringValue(text));
        }

        public void AppendFormatted<T>(Output<T> output) => _parts.Add(output.Expression);

        public void AppendFormatted(string text) => AppendLiteral(text);

        public void AppendFormatted(int number) => AppendLiteral(number.ToString(System.Globalization.CultureInfo.InvariantCulture));

        internal readonly Output<string> Build() => Concat(_parts);
    }
}

/// <summary>
/// A resource input: either a literal of type <typeparamref name="T"/> or an <see cref="Output{T}"/> of another resource.
/// </summary>
public sealed class Input<T>
{
    private Input(Value value) => Value = value;

    public Value Value { get; }

    public static implicit operator Input<T>(T literal) => new(Literal(literal));

    public static implicit operator Input<T>(Output<T> output) => new(output.Expression);

    /// <summary>An input from an already-built template value (fn:: built-ins, JSON documents).</summary>
    public static Input<T> FromValue(Value value) => new(value);

    /// <summary>An optional literal: null stays unset (the property is left out of the template).</summary>
    public static Input<T>? Optional(T? literal) => literal is null ? null : new(Literal(literal));

    /// <summary>An optional output: null stays unset.</summary>
    public static Input<T>? Optional(Output<T>? output) => output is null ? null : new(output.Expression);

    internal static Value Literal(object? literal) => literal switch
    {
        null => throw new ArgumentNullException(nameof(literal)),
        string s => new StringValue(s),
        bool b => new BoolValue(b),
        int i => new NumberValue(i),
        double d => new NumberValue(d),
        IInputObject o => o.ToValue(),
        Value v => v,
        _ => throw new ArgumentException($"{literal.GetType().Name} is not a template value."),
    };
}

/// <summary>A list input: literal items (each an input) or a list output of another resource.</summary>
public sealed class InputList<T> : IEnumerable<Input<T>>
{
    private readonly List<Input<T>> _items = [];
    private Value? _whole;

    public void Add(Input<T> item)
    {
        if (_whole is not null) throw new InvalidOperationException("A list output cannot be extended.");
        _items.Add(item);
    }

    public int Count => _items.Count;

    public static implicit operator InputList<T>(T[] items)
    {
        var list = new InputList<T>();
        foreach (var item in items) list.Add(item);
        return list;
    }

    public static implicit operator InputList<T>(List<T> items) => items.ToArray();

    public static implicit operator InputList<T>(Output<T[]> output) => new() { _whole = output.Expression };

    public Value ToValue() => _whole ?? new ListValue(_items.Select(i => i.Value).ToArray());

    public IEnumerator<Input<T>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A map input (<c>{[key: string]: T}</c>), written with sorted keys.</summary>
public sealed class InputMap<T> : IEnumerable<KeyValuePair<string, Input<T>>>
{
    private readonly SortedDictionary<string, Input<T>> _items = new(StringComparer.Ordinal);

    public Input<T> this[string key]
    {
        get => _items[key];
        set => _items[key] = value;
    }

    public void Add(string key, Input<T> value) => _items.Add(key, value);

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <summary>This map with <paramref name="other"/>'s entries laid over it (the other wins).</summary>
    public InputMap<T> Merge(IEnumerable<KeyValuePair<string, Input<T>>>? other)
    {
        var merged = new InputMap<T>();
        foreach (var (k, v) in _items) merged[k] = v;
        if (other is not null)
            foreach (var (k, v) in other) merged[k] = v;
        return merged;
    }

    public Value ToValue() => MapValue.From(_items.Select(kv => new KeyValuePair<string, Value?>(kv.Key, kv.Value.Value)));

    public IEnumerator<KeyValuePair<string, Input<T>>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Helpers the generated input records use to render themselves.</summary>
public static class Render
{
    public static KeyValuePair<string, Value?> Prop<T>(string name, Input<T>? input) => new(name, input?.Value);

    public static KeyValuePair<string, Value?> Prop<T>(string name, InputList<T>? input) => new(name, input?.ToValue());

    public static KeyValuePair<string, Value?> Prop<T>(string name, InputMap<T>? input) => new(name, input?.ToValue());

    public static KeyValuePair<string, Value?> Prop(string name, Value? value) => new(name, value);

    public static MapValue Object(params KeyValuePair<string, Value?>[] properties) => MapValue.From(properties);
}
