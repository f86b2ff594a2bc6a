using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// What a message may show of a stack's config: a value that may be a credential (by its key's name or by its shape)
/// is replaced wherever it appears, and a long value is cut to its first characters. Built once per config; the
/// values to mask are collected on first use.
/// </summary>
public sealed partial class MessageMask
{
    /// <summary>The longest value a message shows in full.</summary>
    public const int MaxShownLength = 64;

    /// <summary>What a message shows instead of a value that may be a credential.</summary>
    public const string Hidden = "[value hidden: it may be a credential]";

    private readonly IReadOnlyDictionary<string, string> _config;
    private IReadOnlyList<(string Value, string Shown)>? _masks;

    public MessageMask(IReadOnlyDictionary<string, string> config) => _config = config;

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

    /// <summary><paramref name="text"/> with every config value it must not show replaced.</summary>
    public string Apply(string text)
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
}
