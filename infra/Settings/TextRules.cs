using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// The shapes of text several settings accept: one rule each, so the stack files, the bootstrap and the notification
/// settings cannot drift apart. [0-9], never \d: .NET's \d matches every Unicode digit (Arabic-Indic, full-width...),
/// which AWS refuses.
/// </summary>
internal static partial class TextRules
{
    /// <summary>A name usable in AWS resource names: a stack, or the project a bootstrap serves.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    public static partial Regex ResourceName();

    /// <summary>A 12-digit AWS account id.</summary>
    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex AccountId();

    /// <summary>An IAM role ARN; the group <c>account</c> is its account.</summary>
    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::(?<account>[0-9]{12}):role/[A-Za-z0-9_+=,.@/-]{1,512}$")]
    public static partial Regex RoleArn();

    /// <summary>An email address, as far as a notification needs one (AWS mails a confirmation link to check the rest).</summary>
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    public static partial Regex Email();
}
