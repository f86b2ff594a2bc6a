using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// Reads the fields of one JSON object setting (e.g. <c>platform:network</c>), naming each problem with the full key
/// path (<c>platform:network.azCount</c>) and rejecting fields it does not know.
/// </summary>
public sealed class ObjectReader
{
    private readonly ConfigReader _reader;
    private readonly JsonElement? _element;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ObjectReader(ConfigReader reader, string key, JsonElement? element)
    {
        _reader = reader;
        Key = key;
        if (element is { ValueKind: not JsonValueKind.Object } e)
        {
            reader.Add(key, $"must be an object, not a {Describe(e.ValueKind)}.", $"write it as a YAML map under config: in Pulumi.{{stack}}.yaml (see docs/configuration.md)");
            _element = null;
        }
        else _element = element;
    }

    public string Key { get; }

    public string Path(string field) => $"{Key}.{field}";

    public bool Present => _element is not null;

    private JsonElement? Field(string field)
    {
        _known.Add(field);
        if (_element is { } e && e.TryGetProperty(field, out var value) && value.ValueKind is not JsonValueKind.Null)
            return value;
        return null;
    }

    public string? String(string field, string? fallback, string example)
    {
        var value = Field(field);
        if (value is null)
        {
            if (fallback is null) _reader.Add(Path(field), "is required but not set.", ConfigFix.Set(Path(field), example));
            return fallback;
        }
        if (value.Value.ValueKind == JsonValueKind.String) return value.Value.GetString();
        _reader.Add(Path(field), $"must be a string, not a {Describe(value.Value.ValueKind)}.", ConfigFix.Set(Path(field), example));
        return fallback;
    }

    /// <summary>
    /// A string that must match <paramref name="rule"/>; otherwise the problem <c>'value' <paramref name="isNot"/></c>, fixed
    /// by setting <paramref name="example"/>, and null.
    /// </summary>
    public string? Matching(string field, string? fallback, Regex rule, string isNot, string example)
    {
        var value = String(field, fallback, example);
        if (value is null || rule.IsMatch(value)) return value;
        _reader.Add(Path(field), $"'{value}' {isNot}", ConfigFix.Set(Path(field), example));
        return null;
    }

    public int? Int(string field, int? fallback, int min, int max, string why)
    {
        var value = Field(field);
        if (value is null)
        {
            if (fallback is null) _reader.Add(Path(field), $"is required but not set ({why}).", ConfigFix.Set(Path(field), min));
            return fallback;
        }
        int? parsed = value.Value.ValueKind switch
        {
            JsonValueKind.Number when value.Value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        if (parsed is null)
        {
            _reader.Add(Path(field), $"must be a whole number ({why}).", ConfigFix.Set(Path(field), min));
            return fallback;
        }
        if (parsed < min || parsed > max)
        {
            _reader.Add(Path(field), $"{parsed} is out of range: must be from {min} to {max} ({why}).", ConfigFix.Set(Path(field), Math.Clamp(parsed.Value, min, max)));
            return fallback ?? Math.Clamp(parsed.Value, min, max);
        }
        return parsed;
    }

    /// <summary>A number (whole or decimal) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public double? Number(string field, double? fallback, double min, double max, string why)
    {
        var value = Field(field);
        if (value is null) return fallback;
        double? parsed = value.Value.ValueKind switch
        {
            JsonValueKind.Number => value.Value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        if (parsed is null || double.IsNaN(parsed.Value) || double.IsInfinity(parsed.Value))
        {
            _reader.Add(Path(field), $"must be a number ({why}).", ConfigFix.Set(Path(field), (fallback ?? min).ToString(CultureInfo.InvariantCulture)));
            return fallback;
        }
        if (parsed < min || parsed > max)
        {
            _reader.Add(Path(field), $"{parsed.Value.ToString(CultureInfo.InvariantCulture)} is out of range: must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} ({why}).",
                ConfigFix.Set(Path(field), Math.Clamp(parsed.Value, min, max).ToString(CultureInfo.InvariantCulture)));
            return fallback;
        }
        return parsed;
    }

    /// <summary>The names of the object's fields (for maps keyed by name, e.g. a service per field); empty when absent.</summary>
    public IReadOnlyList<string> FieldNames() =>
        _element is { } e ? e.EnumerateObject().Select(p => p.Name).ToArray() : [];

    public bool? Bool(string field, bool? fallback)
    {
        var value = Field(field);
        if (value is null)
        {
            if (fallback is null) _reader.Add(Path(field), "is required but not set.", ConfigFix.Set(Path(field), "true"));
            return fallback;
        }
        switch (value.Value.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String when bool.TryParse(value.Value.GetString(), out var b): return b;
            default:
                _reader.Add(Path(field), "must be true or false.", ConfigFix.Set(Path(field), "true"));
                return fallback;
        }
    }

    /// <summary>One of a fixed set of words; a near miss gets a "did you mean".</summary>
    public string? Choice(string field, string? fallback, IReadOnlyList<string> choices)
    {
        var value = String(field, fallback, choices[0]);
        if (value is null || choices.Contains(value, StringComparer.Ordinal)) return value;
        var suggestion = ConfigReader.Closest(value, choices);
        _reader.Add(Path(field), $"'{value}' is not one of {string.Join(", ", choices)}." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?"),
            ConfigFix.Set(Path(field), suggestion ?? choices[0]));
        return fallback;
    }

    public IReadOnlyList<string>? Strings(string field, string example)
    {
        var value = Field(field);
        if (value is null) return null;
        if (value.Value.ValueKind == JsonValueKind.Array && value.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            return value.Value.EnumerateArray().Select(v => v.GetString()!).ToArray();
        _reader.Add(Path(field), "must be a list of strings.", $"write it as a YAML list in Pulumi.{{stack}}.yaml, e.g. {example}");
        return null;
    }

    public ObjectReader Object(string field) => new(_reader, Path(field), Field(field));

    /// <summary>The raw value of a field, or null when absent (the field counts as known).</summary>
    public JsonElement? Element(string field) => Field(field);

    /// <summary>Reports a problem with a field of this object, under its full key.</summary>
    public void Fail(string field, string problem, string fix) => _reader.Add(Path(field), problem, fix);

    /// <summary>Reports the fields nobody asked for (typos) with a suggestion.</summary>
    public void RejectUnknown()
    {
        if (_element is not { } e) return;
        foreach (var property in e.EnumerateObject())
        {
            if (_known.Contains(property.Name)) continue;
            var suggestion = ConfigReader.Closest(property.Name, _known);
            _reader.Add(Path(property.Name), "is not a known field.",
                suggestion is null ? $"remove it; the fields of {Key} are: {string.Join(", ", _known.Order(StringComparer.Ordinal))}" : $"did you mean '{suggestion}'?");
        }
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
