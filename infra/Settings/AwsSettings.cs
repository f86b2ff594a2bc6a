using System.Text.Json;

namespace Platform.Infra.Settings;

/// <summary>The AWS provider's stack settings (<c>aws:*</c>) that the platform requires and checks.</summary>
public sealed record AwsSettings(
    string Region,
    IReadOnlyList<string> AllowedAccountIds,
    IReadOnlyList<string> AssumeRoleArns,
    IReadOnlyDictionary<string, string> DefaultTags)
{
    /// <summary>
    /// The regions of the pinned AWS provider (the <c>Region</c> enum of <c>@pulumi/aws</c>) in the partitions the
    /// platform's ARNs cover (aws, aws-cn, aws-us-gov; not the isolated or sovereign ones). A conformance test keeps this
    /// list equal to the pinned package's, so moving the pin shows a new region here.
    /// </summary>
    public static readonly IReadOnlyList<string> Regions =
    [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
        "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
        "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
        "us-west-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
    ];

    public static readonly IReadOnlyList<string> RequiredTags = ["Project", "Environment", "ManagedBy", "Owner", "CostCenter"];

    /// <summary>The account this stack deploys into (the first allowed id).</summary>
    public string AccountId => AllowedAccountIds[0];

    /// <summary>The ARN partition of the region.</summary>
    public string Partition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    internal static AwsSettings? Read(ConfigReader reader)
    {
        var region = reader.String("aws:region", required: true, example: "eu-west-1");
        if (region is not null && !Regions.Contains(region, StringComparer.Ordinal))
            reader.Add("aws:region", $"'{MessageMask.Shorten(region)}' is not an AWS region the pinned provider knows (@pulumi/aws types/enums, Region).",
                ConfigFix.Set("aws:region", ConfigReader.Closest(region, Regions) ?? "eu-west-1"));

        var accounts = new List<string>();
        var accountsFix = $"{ConfigFix.Set("aws:allowedAccountIds[0]", "'111111111111'")} (the 12-digit id of the stack's account)";
        if (reader.Json("aws:allowedAccountIds", required: true, accountsFix) is { } ids)
        {
            if (ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() == 0)
                reader.Add("aws:allowedAccountIds", "must be a non-empty list of account ids: the provider then refuses any other account.", accountsFix);
            else
                foreach (var id in ids.EnumerateArray())
                {
                    var text = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.ToString();
                    if (TextRules.AccountId().IsMatch(text)) accounts.Add(text);
                    else reader.Add("aws:allowedAccountIds", $"'{text}' is not a 12-digit AWS account id (quote it in YAML so leading zeros survive).", accountsFix);
                }
        }

        if (reader.Has("aws:assumeRole"))
            reader.Add("aws:assumeRole", "was removed in the AWS provider v7: it takes a list, aws:assumeRoles.",
                "replace it with aws:assumeRoles: [{roleArn: ..., sessionName: ...}] in Pulumi.{stack}.yaml");
        var roles = new List<string>();
        const string rolesFix = "set aws:assumeRoles to a list like [{roleArn: 'arn:aws:iam::111111111111:role/platform-deployer', sessionName: platform}] in Pulumi.{stack}.yaml";
        if (reader.Json("aws:assumeRoles", required: false, rolesFix) is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array)
                reader.Add("aws:assumeRoles", "must be a list of {roleArn, sessionName} objects (the v7 form).", rolesFix);
            else
            {
                var index = 0;
                foreach (var role in list.EnumerateArray())
                {
                    var key = $"aws:assumeRoles[{index++}].roleArn";
                    var arn = role.ValueKind == JsonValueKind.Object && role.TryGetProperty("roleArn", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : null;
                    var match = arn is null ? null : TextRules.RoleArn().Match(arn);
                    if (match is not { Success: true })
                        reader.Add(key, arn is null ? "is required." : $"'{arn}' is not an IAM role ARN like arn:aws:iam::111111111111:role/platform-deployer.", rolesFix);
                    else if (accounts.Count > 0 && !accounts.Contains(match.Groups["account"].Value))
                        reader.Add(key, $"assumes a role in account {match.Groups["account"].Value}, which aws:allowedAccountIds does not allow ({string.Join(", ", accounts)}).",
                            "use the deployer role of the stack's own account, or correct aws:allowedAccountIds");
                    else roles.Add(arn!);
                }
            }
        }

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        const string tagsFix = "set aws:defaultTags: {tags: {Project: ..., Environment: ..., ManagedBy: pulumi, Owner: ..., CostCenter: ...}} in Pulumi.{stack}.yaml";
        if (reader.Json("aws:defaultTags", required: true, tagsFix) is { } defaultTags)
        {
            if (defaultTags.ValueKind == JsonValueKind.Object && defaultTags.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
                foreach (var tag in t.EnumerateObject())
                    tags[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.ToString();
            var missing = RequiredTags.Where(k => !tags.TryGetValue(k, out var v) || v.Length == 0).ToArray();
            if (missing.Length > 0)
                reader.Add("aws:defaultTags", $"lacks the tags {string.Join(", ", missing)} (every resource carries {string.Join(", ", RequiredTags)}).",
                    $"add them under aws:defaultTags.tags, e.g. {ConfigFix.Set($"aws:defaultTags.tags.{missing[0]}", "<value>")}");
        }

        return region is null ? null : new AwsSettings(region, accounts, roles, tags);
    }
}
