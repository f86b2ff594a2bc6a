using Platform.Infra.Aws;
using Platform.Infra.Aws.Accessanalyzer;
using Platform.Infra.Aws.Ebs;
using Platform.Infra.Aws.GuardDuty;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.S3;
using Platform.Infra.Aws.SecurityHub;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Baseline;

/// <summary>
/// The account's security baseline (<c>platform:baseline</c>), carried by exactly one stack per account: the audit
/// trail and bucket, AWS Config, GuardDuty with S3 protection, Security Hub with the FSBP standard, an IAM Access
/// Analyzer, the S3 account public access block, EBS encryption by default, the IAM password policy and the monthly
/// cost budget. The regional parts live in the stack's Region; other Regions of the account are not covered (the
/// multi-Region trail records them all). None of these can be created twice in one account and Region, which is why
/// the console refuses a rollout where two stacks of one account carry the baseline.
/// </summary>
public sealed class AccountBaseline
{
    /// <summary>The GuardDuty feature that watches S3 data events (GuardDuty API reference, "DetectorFeatureConfiguration").</summary>
    public const string S3Protection = "S3_DATA_EVENTS";

    public AuditTrail? Audit { get; private init; }

    public ConfigRecorder? Config { get; private init; }

    public StandardsSubscription? Fsbp { get; private init; }

    /// <summary>The Security Hub standard ARN of FSBP in a Region (Security Hub user guide, "AWS Foundational Security Best Practices standard").</summary>
    public static string FsbpArn(AwsSettings aws) =>
        $"arn:{aws.Partition}:securityhub:{aws.Region}::standards/aws-foundational-security-best-practices/v/1.0.0";

    /// <summary>The baseline of the stack's account, or null when the stack does not carry it.</summary>
    /// <param name="accessLogs">Where the audit bucket's access logs go (the stack's log bucket), if anywhere.</param>
    /// <param name="alarmTopic">The stack's alarm topic: where budget alerts go.</param>
    public static AccountBaseline? Create(StackContext stack, StackSettings settings, AccessLogTarget? accessLogs, AlarmTopic alarmTopic)
    {
        var b = settings.Baseline;
        if (!b.Enabled) return null;
        var aws = settings.Aws;
        var scope = new ComponentScope(stack, ComponentNames.Baseline);

        var audit = b.HasAuditBucket ? AuditTrail.Create(scope, settings, accessLogs) : null;
        if (audit is not null) stack.Template.Export(StackOutputs.AuditBucketName, audit.Bucket.Bucket.Id);
        var config = b.Config ? ConfigRecorder.Create(scope, aws, audit!, b.ConfigServiceLinkedRole) : null;

        if (b.GuardDuty)
        {
            var detector = scope.Add("guardduty", new DetectorArgs { Enable = true, FindingPublishingFrequency = b.FindingFrequency });
            // Protection plans are detector features in provider v7 (the detector's datasources block is deprecated).
            scope.Add("guardduty-s3", new DetectorFeatureArgs { DetectorId = detector.Id, Name = S3Protection, Status = "ENABLED" });
        }

        StandardsSubscription? fsbp = null;
        if (b.SecurityHub)
        {
            // Only the standard chosen here: no default standards (CIS 1.2) switched on behind our back; consolidated
            // control findings, one per control across standards.
            var hub = scope.Add("securityhub", new AccountArgs { EnableDefaultStandards = false, ControlFindingGenerator = "SECURITY_CONTROL", AutoEnableControls = true });
            fsbp = scope.Add("securityhub-fsbp", new StandardsSubscriptionArgs { StandardsArn = FsbpArn(aws) }, new ResourceOptions { DependsOn = [hub] });
        }

        if (b.AccessAnalyzer)
            scope.Add("access-analyzer", new AnalyzerArgs { AnalyzerName = scope.PhysicalName("access-analyzer", 255), Type = "ACCOUNT" });
        if (b.S3PublicAccessBlock)
            scope.Add("s3-public-access", new AccountPublicAccessBlockArgs { BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true, RestrictPublicBuckets = true });
        if (b.EbsEncryptionByDefault)
            scope.Add("ebs-encryption", new EncryptionByDefaultArgs { Enabled = true });
        if (b.PasswordPolicy is { } p)
            scope.Add("password-policy", new AccountPasswordPolicyArgs
            {
                MinimumPasswordLength = p.MinimumLength,
                RequireUppercaseCharacters = true,
                RequireLowercaseCharacters = true,
                RequireNumbers = true,
                RequireSymbols = true,
                AllowUsersToChangePassword = true,
                PasswordReusePrevention = PasswordPolicySettings.ReusePrevention,
                MaxPasswordAge = p.MaxAgeDays,
            });
        if (b.Budget is { } budget) CostBudget.Create(scope, budget, alarmTopic);
        return new AccountBaseline { Audit = audit, Config = config, Fsbp = fsbp };
    }
}
