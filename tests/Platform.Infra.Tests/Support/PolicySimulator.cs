using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Tests.Support;

/// <summary>One request as IAM sees it: the action, the resource, and the condition keys the request carries.</summary>
public sealed record PolicyRequest(string Action, string Resource, IReadOnlyDictionary<string, string> Context)
{
    public static PolicyRequest Of(string action, string resource, params (string Key, string Value)[] context) =>
        new(action, resource, context.ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase));
}

public enum PolicyDecision { ExplicitDeny, Allow, NotAllowed }

/// <summary>
/// Evaluates the statements of one policy document for a request the way IAM does for the operators our policies
/// use (IAM user guide, "Policy evaluation logic" and "IAM JSON policy elements: Condition operators"): an explicit
/// deny wins, then an allow; within a condition block, operators and keys are ANDed and a key's values ORed; negated
/// operators match when the value equals none of them; an absent key fails every operator except <c>Null</c>,
/// negated ones and <c>...IfExists</c>. Principals are not evaluated (tests ask about one caller at a time).
/// </summary>
public static class PolicySimulator
{
    public static PolicyDecision Decide(IEnumerable<JsonElement> statements, PolicyRequest request)
    {
        var allowed = false;
        foreach (var s in statements)
        {
            if (!Matches(s, "Action", request.Action) || !Matches(s, "Resource", request.Resource) || !ConditionsHold(s, request)) continue;
            if (s.GetProperty("Effect").GetString() == "Deny") return PolicyDecision.ExplicitDeny;
            allowed = true;
        }
        return allowed ? PolicyDecision.Allow : PolicyDecision.NotAllowed;
    }

    private static bool Matches(JsonElement statement, string element, string value) =>
        statement.TryGetProperty(element, out var patterns) && Values(patterns).Any(p => Glob(p, value, ignoreCase: element == "Action"));

    private static bool ConditionsHold(JsonElement statement, PolicyRequest request)
    {
        if (!statement.TryGetProperty("Condition", out var block)) return true;
        foreach (var op in block.EnumerateObject())
            foreach (var key in op.Value.EnumerateObject())
                if (!Holds(op.Name, request.Context.TryGetValue(key.Name, out var v) ? v : null, Values(key.Value)))
                    return false;
        return true;
    }

    private static bool Holds(string op, string? actual, IReadOnlyList<string> expected)
    {
        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        var name = ifExists ? op[..^"IfExists".Length] : op;
        if (name == "Null") return expected.Contains(actual is null ? "true" : "false");
        if (actual is null) return ifExists || name.Contains("Not", StringComparison.Ordinal);
        Func<string, bool> equal = name switch
        {
            "StringEquals" or "StringNotEquals" => e => e == actual,
            "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase" => e => string.Equals(e, actual, StringComparison.OrdinalIgnoreCase),
            "StringLike" or "StringNotLike" or "ArnLike" or "ArnNotLike" or "ArnEquals" or "ArnNotEquals" => e => Glob(e, actual, ignoreCase: false),
            "Bool" => e => string.Equals(e, actual, StringComparison.OrdinalIgnoreCase),
            _ => throw new NotSupportedException($"condition operator {op}"),
        };
        var any = expected.Any(equal);
        return name.Contains("Not", StringComparison.Ordinal) ? !any : any;
    }

    private static IReadOnlyList<string> Values(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [e.GetString()!];

    private static bool Glob(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
            ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);
}
