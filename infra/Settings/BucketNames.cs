using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>How a store's bucket is named, and the S3 rules that name must keep.</summary>
public static partial class BucketNames
{
    /// <summary>
    /// The bucket name of a store: <c>&lt;project&gt;-&lt;stack&gt;-&lt;service&gt;-&lt;store&gt;-&lt;account id&gt;</c>. Deterministic, and
    /// globally unique because the account id is in it and every other part is unique within the account.
    /// </summary>
    public static string Compose(string project, string stack, string service, string store, string accountId) =>
        $"{project}-{stack}-{service}-{store}-{accountId}";

    /// <summary>Every rule of the S3 general purpose bucket naming rules that <paramref name="name"/> breaks (empty when valid).</summary>
    public static IReadOnlyList<string> Problems(string name)
    {
        var problems = new List<string>();
        if (name.Length is < 3 or > 63) problems.Add($"it is {name.Length} characters long (3 to 63 allowed)");
        if (name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')))
            problems.Add("only lower-case letters, digits, '.' and '-' are allowed");
        if (name.Length > 0 && !(char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0])))
            problems.Add("it must start with a letter or digit");
        if (name.Length > 0 && !(char.IsAsciiLetterLower(name[^1]) || char.IsAsciiDigit(name[^1])))
            problems.Add("it must end with a letter or digit");
        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
            problems.Add("two periods, or a period next to a dash, are not allowed");
        if (IpAddressRule().IsMatch(name)) problems.Add("it must not look like an IP address");
        foreach (var prefix in new[] { "xn--", "sthree-", "amzn-s3-demo-" })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) problems.Add($"the prefix '{prefix}' is reserved");
        foreach (var suffix in new[] { "-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) problems.Add($"the suffix '{suffix}' is reserved");
        return problems;
    }

    [GeneratedRegex(@"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex IpAddressRule();
}
