using System.Globalization;
using System.Text.Json;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Policies;

/// <summary>One resource of the finished template as the rules see it: name, short type and rendered properties.</summary>
public sealed class Node
{
    internal Node(Resource resource)
    {
        Resource = resource;
        Type = PolicyContext.ShortType(resource.TypeToken);
        Props = resource.RenderedInputs as MapValue ?? MapValue.From([]);
    }

    public Resource Resource { get; }

    public string Name => Resource.LogicalName;

    /// <summary>The short type token, e.g. <c>aws:s3:Bucket</c>.</summary>
    public string Type { get; }

    public MapValue Props { get; }

    /// <summary>A property by dotted path (<c>viewerCertificate.sslSupportMethod</c>), or null.</summary>
    public Value? this[string path] => V.At(Props, path);

    public Violation Violation(string problem, string fix) => new(Name, problem, fix);
}

/// <summary>
/// The finished template, indexed once for the rules: resources by name and by type, and which resources refer to
/// which (side resources such as a bucket's public access block find their bucket through <c>${bucket.id}</c>).
/// </summary>
public sealed class PolicyContext
{
    private readonly Dictionary<string, Node> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _byType = new(StringComparer.Ordinal);

    public PolicyContext(Template template, StageProfile profile, IReadOnlyCollection<string>? accounts = null)
    {
        Template = template;
        Profile = profile;
        Accounts = accounts ?? [];
        foreach (var resource in template.Resources)
        {
            var node = new Node(resource);
            _byName[node.Name] = node;
            if (!_byType.TryGetValue(node.Type, out var list)) _byType[node.Type] = list = [];
            list.Add(node);
        }
    }

    public Template Template { get; }

    public StageProfile Profile { get; }

    /// <summary>The stack's own AWS accounts (aws:allowedAccountIds): principals in them are not cross-account.</summary>
    public IReadOnlyCollection<string> Accounts { get; }

    public IReadOnlyList<Node> OfType(string shortType) => _byType.TryGetValue(shortType, out var list) ? list : [];

    public Node? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The resources of <paramref name="shortType"/> whose <paramref name="property"/> refers to <paramref name="target"/>.</summary>
    public IEnumerable<Node> Referencing(string shortType, string property, Node target) =>
        OfType(shortType).Where(n => V.RefName(n[property]) == target.Name);

    /// <summary><c>aws:s3/bucket:Bucket</c> → <c>aws:s3:Bucket</c>; short tokens pass through.</summary>
    public static string ShortType(string token)
    {
        var parts = token.Split(':');
        if (parts.Length != 3) return token;
        var slash = parts[1].IndexOf('/');
        return slash < 0 ? token : $"{parts[0]}:{parts[1][..slash]}:{parts[2]}";
    }
}

/// <summary>Reading rendered template values: literals, references and JSON documents.</summary>
public static class V
{
    public static Value? At(Value? value, string path)
    {
        foreach (var key in path.Split('.'))
        {
            value = value is MapValue m ? m[key] : null;
            if (value is null) return null;
        }
        return value;
    }

    public static string? Str(Value? value) => value switch
    {
        StringValue s => s.Text,
        NumberValue n => n.Render(),
        BoolValue b => b.Flag ? "true" : "false",
        _ => null,
    };

    public static double? Num(Value? value) => value switch
    {
        NumberValue n => n.Number,
        StringValue s when double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>True or false when the value is a literal; null when absent or computed.</summary>
    public static bool? Bool(Value? value) => value switch
    {
        BoolValue b => b.Flag,
        StringValue s when bool.TryParse(s.Text, out var b) => b,
        _ => null,
    };

    public static bool IsTrue(Value? value) => Bool(value) == true;

    public static bool IsFalse(Value? value) => Bool(value) == false;

    public static IReadOnlyList<Value> Items(Value? value) => value switch
    {
        ListValue l => l.Items,
        null => [],
        _ => [value],
    };

    /// <summary>The strings of a list (or a single string) value; computed items are skipped.</summary>
    public static IEnumerable<string> Strings(Value? value) => Items(value).Select(Str).OfType<string>();

    /// <summary>The resource a value refers to (<c>${name.path}</c>), or null.</summary>
    public static string? RefName(Value? value) => value switch
    {
        ReferenceValue r => r.Resource,
        InterpolationValue { Parts: [ReferenceValue r] } => r.Resource,
        _ => null,
    };

    /// <summary>Every resource a value refers to, anywhere inside it.</summary>
    public static IEnumerable<ReferenceValue> References(Value? value)
    {
        switch (value)
        {
            case ReferenceValue r: yield return r; break;
            case InterpolationValue i: foreach (var p in i.Parts) foreach (var r in References(p)) yield return r; break;
            case ListValue l: foreach (var p in l.Items) foreach (var r in References(p)) yield return r; break;
            case MapValue m: foreach (var e in m.Entries) foreach (var r in References(e.Value)) yield return r; break;
            case FunctionValue f: foreach (var r in References(f.Argument)) yield return r; break;
        }
    }

    /// <summary>
    /// A JSON document property (IAM and resource policies, container definitions) as a value tree: the argument of
    /// <c>fn::toJSON</c>, or a literal JSON string parsed. Null when the document is computed elsewhere.
    /// </summary>
    public static Value? Document(Value? value)
    {
        switch (value)
        {
            case FunctionValue { Name: "fn::toJSON" } f: return f.Argument;
            case StringValue s:
                try
                {
                    using var doc = JsonDocument.Parse(s.Text);
                    return FromJson(doc.RootElement);
                }
                catch (JsonException)
                {
                    return null;
                }
            default: return null;
        }
    }

    private static Value FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => MapValue.Ordered(e.EnumerateObject().GroupBy(p => p.Name).Select(g => new KeyValuePair<string, Value?>(g.Key, FromJson(g.Last().Value)))),
        JsonValueKind.Array => new ListValue(e.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.String => new StringValue(e.GetString()!),
        JsonValueKind.Number => new NumberValue(e.GetDouble()),
        JsonValueKind.True => new BoolValue(true),
        JsonValueKind.False => new BoolValue(false),
        _ => new StringValue(""),
    };
}

/// <summary>An IAM or resource-policy statement, read from a document value.</summary>
public sealed record Statement(string Effect, IReadOnlyList<string> Actions, IReadOnlyList<Value> Resources, Value? Principal, MapValue? Condition)
{
    public bool Allows => Effect == "Allow";

    /// <summary>The statements of a policy document value (<see cref="V.Document"/>).</summary>
    public static IReadOnlyList<Statement> Of(Value? document)
    {
        if (document is not MapValue doc) return [];
        return V.Items(doc["Statement"]).OfType<MapValue>().Select(s => new Statement(
            V.Str(s["Effect"]) ?? "",
            V.Strings(s["Action"]).ToArray(),
            V.Items(s["Resource"]),
            s["Principal"],
            s["Condition"] as MapValue)).ToArray();
    }

    public bool AnyResource => Resources.Any(r => V.Str(r) == "*");

    /// <summary>Principal <c>"*"</c> or <c>{"AWS": "*"}</c>: anyone.</summary>
    public bool PrincipalIsAnyone =>
        V.Str(Principal) == "*" || (Principal is MapValue m && V.Strings(m["AWS"]).Contains("*"));

    /// <summary>Literal AWS principals (account ids or ARNs); references to this template's roles are skipped.</summary>
    public IEnumerable<string> AwsPrincipals => Principal is MapValue m ? V.Strings(m["AWS"]) : [];

    /// <summary>Whether an action pattern in this statement matches <paramref name="action"/> (<c>s3:*</c>, <c>*</c>, <c>kms:Re*</c>).</summary>
    public bool Grants(string action) => Actions.Any(a => Matches(a, action));

    public static bool Matches(string pattern, string action)
    {
        if (pattern == "*") return true;
        var star = pattern.IndexOf('*');
        if (star < 0) return string.Equals(pattern, action, StringComparison.OrdinalIgnoreCase);
        return action.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase) && pattern.IndexOf('*', star + 1) < 0
            ? action.EndsWith(pattern[(star + 1)..], StringComparison.OrdinalIgnoreCase)
            : action.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase);
    }
}
