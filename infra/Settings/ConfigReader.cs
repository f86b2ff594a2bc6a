using System.Text.Json;

namespace Platform.Infra.Settings;

/// <summary>
/// Reads typed values out of the flat Pulumi config (<c>"namespace:key"</c> → string, structured values as JSON text),
/// collecting every problem instead of stopping at the first. Values are echoed in messages only for keys the platform
/// defines as non-secret; anything else is never printed. Every message passes through the <see cref="MessageMask"/>
/// of the config on its way in.
/// </summary>
public sealed class ConfigReader
{
    private readonly IReadOnlyDictionary<string, string> _config;
    private readonly List<ConfigProblem> _problems = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly MessageMask _mask;

    public ConfigReader(IReadOnlyDictionary<string, string> config)
    {
        _config = config;
        _mask = new MessageMask(config);
    }

    public IReadOnlyList<ConfigProblem> Problems => _problems;

    public void Add(string key, string problem, string fix) => _problems.Add(new ConfigProblem(key, _mask.Apply(problem), _mask.Apply(fix)));

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
