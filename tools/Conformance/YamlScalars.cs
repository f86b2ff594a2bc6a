using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Conformance;

/// <summary>The shape of a value, as far as it can be told without running the program.</summary>
internal enum Shape { Any, String, Number, Boolean, List, Object, Asset, Archive }

/// <summary>Reading template nodes the way Pulumi's YAML parser (yaml.v3, YAML 1.2 core schema) reads them.</summary>
internal static partial class YamlScalars
{
    /// <summary>The text of a mapping key, or null when the key is not a scalar.</summary>
    public static string? Key(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    /// <summary>The value of <paramref name="key"/> in <paramref name="map"/>, or null when it has none.</summary>
    public static YamlNode? Child(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (Key(k) == key) return v;
        return null;
    }

    public static bool IsNull(YamlNode node) => node is YamlScalarNode s && ScalarShape(s) is null;

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();

    /// <summary>The YAML 1.2 core-schema type of a scalar (what yaml.v3 gives Pulumi); null for null.</summary>
    public static Shape? ScalarShape(YamlNode node)
    {
        if (node is not YamlScalarNode s) return node is YamlSequenceNode ? Shape.List : Shape.Object;
        if (s.Style != ScalarStyle.Plain || (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str")) return Shape.String;
        var v = s.Value ?? "";
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return Shape.Boolean;
        if (YamlNumber().IsMatch(v)) return Shape.Number;
        return Shape.String;
    }

    /// <summary>A scalar's text shortened for a message.</summary>
    public static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
