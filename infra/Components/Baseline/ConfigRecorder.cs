using Platform.Infra.Aws;
using Platform.Infra.Aws.Cfg;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Baseline;

/// <summary>
/// AWS Config in the stack's Region (Config.1): a recorder of every supported resource type, global ones (IAM) included
/// because this is the one Region the account records them in, a delivery channel to the audit bucket, and the
/// recorder's status (recording).
/// <para>
/// A Region has one configuration recorder and one delivery channel per account (AWS Config developer guide, "Managing
/// the Configuration Recorder"): where Control Tower or someone else already records, set
/// <c>platform:baseline.config: existing</c>, or import them (docs/configuration.md). Both are named <c>default</c>, the
/// name the console gives them, so an imported recorder matches. Order (AWS Config API reference,
/// "PutDeliveryChannel", "StartConfigurationRecorder"): the channel needs the recorder and a bucket policy that admits
/// Config; recording starts only once the channel exists.
/// </para>
/// </summary>
public sealed class ConfigRecorder
{
    public const string Name = "default";

    /// <summary>AWS Config's service principal, the one its service-linked role trusts.</summary>
    public const string ServiceName = "config.amazonaws.com";

    private ConfigRecorder(Recorder recorder, DeliveryChannel channel, RecorderStatus status)
    {
        Recorder = recorder;
        Channel = channel;
        Status = status;
    }

    public Recorder Recorder { get; }

    public DeliveryChannel Channel { get; }

    public RecorderStatus Status { get; }

    /// <summary>The ARN of AWS Config's service-linked role (AWS Config developer guide, "Using Service-Linked Roles for AWS Config").</summary>
    public static string ServiceLinkedRoleArn(AwsSettings aws) =>
        $"arn:{aws.Partition}:iam::{aws.AccountId}:role/aws-service-role/{ServiceName}/AWSServiceRoleForConfig";

    public static ConfigRecorder Create(ComponentScope scope, AwsSettings aws, AuditTrail audit, bool createServiceLinkedRole)
    {
        // Config.1 passes only when the recorder uses the service-linked role (Security Hub controls reference, "[Config.1]
        // AWS Config should be enabled and use the service-linked role for resource recording"). An account has that role
        // once: creating it again fails ("has been taken in this account"), so where AWS Config or Control Tower was ever
        // set up, set platform:baseline.configServiceLinkedRole: existing (docs/configuration.md). It is kept when the stack
        // is destroyed: recorders of other Regions may use it. The role delivers to the audit bucket through the bucket's
        // and the audit key's policies, which admit config.amazonaws.com for this account (AuditTrail).
        var role = createServiceLinkedRole
            ? scope.Add("config-service-role", new ServiceLinkedRoleArgs
            {
                AwsServiceName = ServiceName,
                Description = "AWS Config's service-linked role: records resource configurations for the account's baseline.",
            }, ResourceOptions.Kept(protect: false))
            : null;
        var recorder = scope.Add("config-recorder", new RecorderArgs
        {
            Name = Name,
            RoleArn = ServiceLinkedRoleArn(aws),
            RecordingGroup = new RecorderRecordingGroup { AllSupported = true, IncludeGlobalResourceTypes = true },
        }, role is null ? null : new ResourceOptions { DependsOn = [role] });
        var channel = scope.Add("config-delivery", new DeliveryChannelArgs
        {
            Name = Name,
            S3BucketName = audit.Bucket.Bucket.Id,
            S3KeyPrefix = AuditTrail.ConfigPrefix,
            S3KmsKeyArn = audit.Key.Key.Arn,
        }, new ResourceOptions { DependsOn = [recorder, audit.Bucket.Policy] });
        var status = scope.Add("config-recording", new RecorderStatusArgs
        {
            Name = recorder.Name,
            IsEnabled = true,
        }, new ResourceOptions { DependsOn = [channel] });
        return new ConfigRecorder(recorder, channel, status);
    }
}
