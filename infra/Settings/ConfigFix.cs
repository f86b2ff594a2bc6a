using System.Globalization;

namespace Platform.Infra.Settings;

/// <summary>
/// The one way to write the <c>pulumi config set</c> command of a fix hint. Hints say <c>{stack}</c> where the stack
/// name goes; <see cref="ConfigProblem.Format"/> fills it in when the problem is shown.
/// </summary>
public static class ConfigFix
{
    /// <summary>What a hint says where the stack name goes.</summary>
    public const string StackPlaceholder = "{stack}";

    /// <summary>
    /// <c>pulumi config set [--path] '&lt;key&gt;' &lt;value&gt; --stack &lt;stack&gt;</c>. A nested key (<c>platform:network.cidr</c>,
    /// <c>aws:allowedAccountIds[0]</c>) is quoted and set with <c>--path</c>, as the Pulumi CLI requires for structured
    /// config (Pulumi docs, "Configuration": structured configuration). <paramref name="value"/> is written as given,
    /// so a value the shell would change must come quoted.
    /// </summary>
    public static string Set(string key, string value, string stack = StackPlaceholder) =>
        key.IndexOfAny(['.', '[']) >= 0
            ? $"pulumi config set --path '{key}' {value} --stack {stack}"
            : $"pulumi config set {key} {value} --stack {stack}";

    /// <inheritdoc cref="Set(string, string, string)"/>
    public static string Set(string key, int value, string stack = StackPlaceholder) =>
        Set(key, value.ToString(CultureInfo.InvariantCulture), stack);
}
