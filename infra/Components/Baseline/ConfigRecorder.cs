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

    /// <summary>The AWS managed policy of a Config role (AWS managed policy reference, "AWS_ConfigRole").</summary>
    public const string ManagedPolicy = "service-role/AWS_ConfigRole";

    private ConfigRecorder(Recorder recorder, DeliveryChannel channel, RecorderStatus status)
    {
        Recorder = recorder;
        Channel = channel;
        Status = status;
    }

    public Recorder Recorder { get; }

    public DeliveryChannel Channel { get; }

    public RecorderStatus Status { get; }

    public static ConfigRecorder Create(ComponentScope scope, AwsSettings aws, AuditTrail audit)
    {
        var role = scope.Add("config-role", new RoleArgs
        {
            Name = scope.PhysicalName("config", ComponentScope.RoleNameLength),
            Description = "Lets AWS Config read resource configurations and deliver them to the audit bucket.",
            AssumeRolePolicy = PolicyDocument.AssumableBy(AuditTrail.ConfigService, aws.AccountId).ToJson(),
        });
        var managed = scope.Add("config-role-policy", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = $"arn:{aws.Partition}:iam::aws:policy/{ManagedPolicy}",
        });
        // With a role of its own (not the service-linked one), Config delivers with that role's permissions.
        var delivery = scope.Add("config-delivery-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = new PolicyDocument(
                new PolicyStatement
                {
                    Actions = ["s3:PutObject"],
                    Resources = [Output.Format($"{audit.Bucket.Arn}/{AuditTrail.ConfigPrefix}/AWSLogs/{aws.AccountId}/Config/*")],
                    Conditions = PolicyStatement.Condition(("StringEquals", "s3:x-amz-acl", PolicyStatement.Literal("bucket-owner-full-control"))),
                },
                new PolicyStatement { Actions = ["s3:GetBucketAcl"], Resources = [audit.Bucket.Arn] },
                new PolicyStatement { Actions = ["kms:Decrypt", "kms:GenerateDataKey"], Resources = [audit.Key.Key.Arn] }).ToJson(),
        });
        var recorder = scope.Add("config-recorder", new RecorderArgs
        {
            Name = Name,
            RoleArn = role.Arn,
            RecordingGroup = new RecorderRecordingGroup { AllSupported = true, IncludeGlobalResourceTypes = true },
        }, new ResourceOptions { DependsOn = [managed] });
        var channel = scope.Add("config-delivery", new DeliveryChannelArgs
        {
            Name = Name,
            S3BucketName = audit.Bucket.Bucket.Id,
            S3KeyPrefix = AuditTrail.ConfigPrefix,
            S3KmsKeyArn = audit.Key.Key.Arn,
        }, new ResourceOptions { DependsOn = [recorder, audit.Bucket.Policy, delivery] });
        var status = scope.Add("config-recording", new RecorderStatusArgs
        {
            Name = recorder.Name,
            IsEnabled = true,
        }, new ResourceOptions { DependsOn = [channel] });
        return new ConfigRecorder(recorder, channel, status);
    }
}
