using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Ingest;

/// <summary>
/// What the function reads from its environment variables (docs/ingestion-function.md, "Environment").
/// Every problem is reported at once, naming the variable and the fix; the runtime then fails the init phase, so
/// a misconfigured function never touches a document.
/// </summary>
internal sealed partial record IngestSettings(string Bucket, string InboxPrefix, string ProcessedPrefix, long MaxDocumentBytes, TimeSpan MaxDocumentAge)
{
    public const string BucketVariable = "DOCUMENTS_BUCKET";
    public const string InboxPrefixVariable = "INBOX_PREFIX";
    public const string ProcessedPrefixVariable = "PROCESSED_PREFIX";
    public const string MaxDocumentBytesVariable = "MAX_DOCUMENT_BYTES";
    public const string MaxDocumentAgeVariable = "MAX_DOCUMENT_AGE_HOURS";

    public const string DefaultInboxPrefix = "incoming/";
    public const string DefaultProcessedPrefix = "processed/";
    public const long DefaultMaxDocumentBytes = 10 * 1024 * 1024;

    /// <summary>Documents are not needed after 48 hours; S3 lifecycle expiry only removes them 48-72 hours after upload.</summary>
    public const int DefaultMaxDocumentAgeHours = 48;
    public const int MaxDocumentAgeHoursLimit = 30 * 24;

    /// <summary>A document is validated in memory: the function's memory size must hold the largest one.</summary>
    public const long MaxDocumentBytesLimit = 100 * 1024 * 1024;

    public static IngestSettings FromEnvironment(Func<string, string?> variable)
    {
        var problems = new List<string>();

        var bucket = variable(BucketVariable) ?? "";
        if (bucket.Length == 0)
            problems.Add($"{BucketVariable} is not set: set it to the name of the bucket whose documents the function ingests");
        else if (!BucketName().IsMatch(bucket))
            problems.Add($"{BucketVariable} '{bucket}' is not an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens");

        var inbox = Prefix(variable, InboxPrefixVariable, DefaultInboxPrefix, problems);
        var processed = Prefix(variable, ProcessedPrefixVariable, DefaultProcessedPrefix, problems);
        if (inbox.Length > 0 && processed.Length > 0 && (inbox.StartsWith(processed, StringComparison.Ordinal) || processed.StartsWith(inbox, StringComparison.Ordinal)))
            problems.Add($"{InboxPrefixVariable} '{inbox}' and {ProcessedPrefixVariable} '{processed}' overlap: processed copies would land in the inbox and be ingested again; use two separate prefixes such as '{DefaultInboxPrefix}' and '{DefaultProcessedPrefix}'");

        var maxBytes = DefaultMaxDocumentBytes;
        var maxText = variable(MaxDocumentBytesVariable);
        if (!string.IsNullOrEmpty(maxText) &&
            (!long.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxBytes) || maxBytes < 1 || maxBytes > MaxDocumentBytesLimit))
            problems.Add($"{MaxDocumentBytesVariable} '{maxText}' must be a whole number of bytes from 1 to {MaxDocumentBytesLimit} (default {DefaultMaxDocumentBytes})");

        var maxAgeHours = DefaultMaxDocumentAgeHours;
        var maxAgeText = variable(MaxDocumentAgeVariable);
        if (!string.IsNullOrEmpty(maxAgeText) &&
            (!int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out maxAgeHours) || maxAgeHours < 1 || maxAgeHours > MaxDocumentAgeHoursLimit))
            problems.Add($"{MaxDocumentAgeVariable} '{maxAgeText}' must be a whole number of hours from 1 to {MaxDocumentAgeHoursLimit} (default {DefaultMaxDocumentAgeHours})");

        if (problems.Count > 0)
            throw new IngestConfigurationException(problems);
        return new IngestSettings(bucket, inbox, processed, maxBytes, TimeSpan.FromHours(maxAgeHours));
    }

    private static string Prefix(Func<string, string?> variable, string name, string fallback, List<string> problems)
    {
        var value = variable(name);
        if (string.IsNullOrEmpty(value)) return fallback;
        if (value.StartsWith('/') || !value.EndsWith('/') || value.Contains("//", StringComparison.Ordinal))
        {
            problems.Add($"{name} '{value}' must be a key prefix ending in one '/' and not starting with one, such as '{fallback}'");
            return "";
        }
        return value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}

/// <summary>The function's environment variables are wrong; the message lists every problem.</summary>
public sealed class IngestConfigurationException(IReadOnlyList<string> problems)
    : Exception($"the ingestion function has {problems.Count} configuration problem{(problems.Count == 1 ? "" : "s")} (fix the function's environment variables):\n"
                + string.Join("\n", problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
