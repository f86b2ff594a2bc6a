using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// Reads typed values out of the flat Pulumi config (<c>"namespace:key"</c> → string, structured values as JSON text),
/// collecting every problem instead of stopping at the first. Values are echoed in messages only for keys the platform
/// defines as non-secret; anything else is never printed. Every message passes through one mask on its way in: a
/// config value that may be a credential (by its key's name or by its shape) is replaced wherever it appears, and a
/// long value is cut to its first characters.
/// </summary>
public sealed partial class ConfigReader
{
    /// <summary>The longest value a message shows in full.</summary>
    public const int MaxShownLength = 64;

    /// <summary>What a message shows instead of a value that may be a credential.</summary>
    public const string Hidden = "[value hidden: it may be a credential]";

    private readonly IReadOnlyDictionary<string, string> _config;
    private readonly List<ConfigProblem> _problems = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Value, string Shown)>? _masks;

    public ConfigReader(IReadOnlyDictionary<string, string> config) => _config = config;

    public IReadOnlyList<ConfigProblem> Problems => _problems;

    public void Add(string key, string problem, string fix) => _problems.Add(new ConfigProblem(key, Mask(problem), Mask(fix)));

    /// <summary>A value as a message may show it: cut after <see cref="MaxShownLength"/> characters, with its length.</summary>
    public static string Shorten(string value) =>
        value.Length <= MaxShownLength ? value : $"{value[..(MaxShownLength - 16)]}... ({value.Length} characters)";

    /// <summary>
    /// True when a value may be a credential: its key names one (password, secret, token, private key, access key...)
    /// or it has a credential's shape (an AWS access key id or secret key, a PEM block, a JWT, a provider token, or a
    /// long random-looking string).
    /// </summary>
    public static bool MayBeCredential(string keyPath, string value) => CredentialKeyRule().IsMatch(keyPath) || ShapedLikeCredential(value);

    private static bool ShapedLikeCredential(string value) => CredentialShapeRule().IsMatch(value) || LooksRandom(value);

    private string Mask(string text)
    {
        _masks ??= BuildMasks();
        foreach (var (value, shown) in _masks)
            if (text.Contains(value, StringComparison.Ordinal)) text = text.Replace(value, shown, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Every string in the config that a message must not show as it is, longest first (a value inside another is masked with it).</summary>
    private List<(string Value, string Shown)> BuildMasks()
    {
        var masks = new List<(string Value, string Shown)>();
        // Short values are never masked (a message would lose words like "true"); no credential is that short.
        void Add(string value, bool credential)
        {
            if (value.Length >= 8 && credential) masks.Add((value, Hidden));
            else if (value.Length > MaxShownLength) masks.Add((value, Shorten(value)));
        }
        void Leaf(string path, string value) => Add(value, MayBeCredential(path, value));
        void Walk(string path, JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Add(p.Name, ShapedLikeCredential(p.Name)); // a name is judged by its shape only
                        Walk($"{path}.{p.Name}", p.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray()) Walk($"{path}[{i++}]", item);
                    break;
                case JsonValueKind.String:
                    Leaf(path, e.GetString()!);
                    break;
            }
        }
        foreach (var (key, value) in _config)
        {
            Leaf(key, value);
            if (value.Length == 0 || value[0] is not ('{' or '[')) continue;
            try
            {
                using var doc = JsonDocument.Parse(value);
                Walk(key, doc.RootElement);
            }
            catch (JsonException)
            {
                // Not structured: the whole value was masked as a string above.
            }
        }
        return masks.DistinctBy(m => m.Value).OrderByDescending(m => m.Value.Length).ToList();
    }

    /// <summary>20+ characters of letters, digits and + / = _ -, with upper case, lower case and digits, and high entropy (e.g. an AWS secret key).</summary>
    private static bool LooksRandom(string value)
    {
        if (value.Length < 20 || !RandomAlphabetRule().IsMatch(value) || !value.Any(char.IsAsciiLetterUpper) || !value.Any(char.IsAsciiLetterLower) || !value.Any(char.IsAsciiDigit))
            return false;
        var entropy = value.GroupBy(c => c).Sum(g => { var p = (double)g.Count() / value.Length; return -p * Math.Log2(p); });
        return entropy >= 3.5;
    }

    [GeneratedRegex(@"passw|pwd|secret|token|credential|private[_-]?key|api[_-]?key|access[_-]?key", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialKeyRule();

    [GeneratedRegex(@"(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{10,}")]
    private static partial Regex CredentialShapeRule();

    [GeneratedRegex("^[A-Za-z0-9+/=_-]+$")]
    private static partial Regex RandomAlphabetRule();

    public bool Has(string key) => _config.ContainsKey(key);

    /// <summary>A scalar string, or null when absent (adding a problem when <paramref name="required"/>).</summary>
    public string? String(string key, bool required, string example)
    {
        _read.Add(key);
        if (_config.TryGetValue(key, out var value) && value.Length > 0) return value;
        if (required) Add(key, "is required but not set.", ConfigFix.Set(key, example));
        return null;
    }

    /// <summary>A structured value (JSON object or list), or null when absent.</summary>
    public JsonElement? Json(string key, bool required, string fix)
    {
        _read.Add(key);
        if (!_config.TryGetValue(key, out var text) || text.Length == 0)
        {
            if (required) Add(key, "is required but not set.", fix);
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            Add(key, "is not a structured value (expected a YAML object or list in the stack file).", fix);
            return null;
        }
    }

    /// <summary>Every key of <paramref name="ns"/> that no setting read: almost always a typo.</summary>
    public void RejectUnknown(string ns, IReadOnlyCollection<string> known)
    {
        foreach (var key in _config.Keys.Where(k => k.StartsWith(ns + ":", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (_read.Contains(key)) continue;
            var suggestion = Closest(key, known);
            Add(key, "is not a setting of this platform.",
                suggestion is null
                    ? $"remove it (pulumi config rm {key} --stack {{stack}}); the settings are listed in docs/configuration.md"
                    : $"did you mean {suggestion}? Rename it in Pulumi.{{stack}}.yaml");
        }
    }

    internal static string? Closest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var prev = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = current;
            }
        }
        return row[b.Length];
    }
}

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
