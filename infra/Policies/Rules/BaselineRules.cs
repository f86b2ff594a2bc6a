using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>
/// Controls of the account baseline (platform:baseline): CloudTrail, GuardDuty, AWS Config, EBS default encryption.
/// Each holds for the resources a template emits; a stack that does not carry its account's baseline emits none and
/// passes (that every account has exactly one carrier is the console's check, not a template's).
/// </summary>
public static class BaselineRules
{
    private const string Trail = "aws:cloudtrail:Trail";

    /// <summary>An event selector that records read and write management events (unset fields default to both).</summary>
    private static bool AllManagementEvents(MapValue selector) =>
        !V.IsFalse(selector["includeManagementEvents"]) && V.Str(selector["readWriteType"]) is null or "All" && !V.Items(selector["excludeManagementEventSources"]).Any();

    /// <summary>The end of the ARN of AWS Config's service-linked role, which Config.1 requires.</summary>
    private const string ConfigServiceLinkedRole = "/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

    public static IEnumerable<Rule> All =>
    [
        new("CloudTrail.1", Severity.High, "A trail is multi-Region, logging, and records read and write management events.", Rule.Mandatory, c =>
            c.OfType(Trail).Where(t => !V.IsTrue(t["isMultiRegionTrail"]) || V.IsFalse(t["enableLogging"]) ||
                    V.Items(t["eventSelectors"]).OfType<MapValue>().Any(s => !AllManagementEvents(s)))
                .Select(t => t.Violation("does not record every management event of every Region.",
                    "set isMultiRegionTrail: true, enableLogging: true, eventSelectors: [{readWriteType: All, includeManagementEvents: true}]"))),

        new("CloudTrail.2", Severity.Medium, "A trail encrypts its logs with a KMS key (kmsKeyId).", Rule.Mandatory, c =>
            c.OfType(Trail).Where(t => t["kmsKeyId"] is null)
                .Select(t => t.Violation("writes its logs with SSE-S3 only.", "set kmsKeyId: ${<key>.arn}, a key whose policy admits cloudtrail.amazonaws.com for this trail"))),

        new("CloudTrail.4", Severity.Low, "A trail has log file validation on.", Rule.Mandatory, c =>
            c.OfType(Trail).Where(t => !V.IsTrue(t["enableLogFileValidation"]))
                .Select(t => t.Violation("writes no digest files, so a changed or deleted log goes unnoticed.", "set enableLogFileValidation: true"))),

        new("CloudTrail.5", Severity.Low, "A trail also sends its events to CloudWatch Logs.", Rule.Advisory, c =>
            c.OfType(Trail).Where(t => t["cloudWatchLogsGroupArn"] is null)
                .Select(t => t.Violation("delivers to S3 only, so no metric filter or alarm can watch its events.",
                    "set cloudWatchLogsGroupArn and cloudWatchLogsRoleArn (GuardDuty and Security Hub already watch the account)"))),

        new("GuardDuty.1", Severity.High, "A GuardDuty detector is enabled.", Rule.Mandatory, c =>
            c.OfType("aws:guardduty:Detector").Where(d => V.IsFalse(d["enable"]))
                .Select(d => d.Violation("is suspended: no findings are produced.", "set enable: true"))),

        new("GuardDuty.10", Severity.High, "A GuardDuty detector has S3 Protection (the S3_DATA_EVENTS feature enabled).", Rule.Mandatory, c =>
            c.OfType("aws:guardduty:Detector").Where(d => !c.Referencing("aws:guardduty:DetectorFeature", "detectorId", d)
                    .Any(f => V.Str(f["name"]) == "S3_DATA_EVENTS" && V.Str(f["status"]) == "ENABLED"))
                .Select(d => d.Violation("does not watch S3 data events.", "add aws:guardduty:DetectorFeature {detectorId: ${<detector>.id}, name: S3_DATA_EVENTS, status: ENABLED}"))),

        new("Config.1", Severity.Medium, "An AWS Config recorder records every supported resource type with AWS Config's service-linked role and is started (a RecorderStatus with isEnabled: true names it).", Rule.Mandatory, c =>
            c.OfType("aws:cfg:Recorder").Where(r => V.IsFalse(r["recordingGroup.allSupported"]) ||
                    !(V.Str(r["roleArn"]) ?? "").EndsWith(ConfigServiceLinkedRole, StringComparison.Ordinal) ||
                    !c.Referencing("aws:cfg:RecorderStatus", "name", r).Any(s => V.IsTrue(s["isEnabled"])))
                .Select(r => r.Violation("does not record every resource type, records with a role other than AWS Config's service-linked role, or is never started.",
                    $"set roleArn: arn:aws:iam::<account>:role{ConfigServiceLinkedRole}, recordingGroup: {{allSupported: true, includeGlobalResourceTypes: true}} and add aws:cfg:RecorderStatus {{name: ${{<recorder>.name}}, isEnabled: true}}"))),

        new("EC2.7", Severity.Medium, "EBS encryption by default is enabled (aws:ebs:EncryptionByDefault).", Rule.Mandatory, c =>
            c.OfType("aws:ebs:EncryptionByDefault").Where(e => V.IsFalse(e["enabled"]))
                .Select(e => e.Violation("turns EBS encryption by default off for the Region.", "set enabled: true"))),
    ];
}
