using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>ECR, CloudWatch Logs, SQS, Lambda, Secrets Manager, and the protection of stateful resources.</summary>
public static class ServiceRules
{
    /// <summary>Lambda runtimes AWS supports (Lambda.2). Review when AWS announces a deprecation.</summary>
    public static readonly IReadOnlyList<string> SupportedRuntimes =
    [
        "nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
        "java11", "java17", "java21", "java25", "dotnet8", "dotnet10", "ruby3.3", "ruby3.4", "provided.al2023",
    ];

    /// <summary>The resource types that hold data, which a protected stage must never delete.</summary>
    public static readonly IReadOnlyList<string> StatefulTypes = ["aws:rds:Instance", "aws:s3:Bucket", "aws:secretsmanager:Secret"];

    /// <summary>The bucket is the origin of a CloudFront distribution: its content is deployed, not kept.</summary>
    private static bool IsCloudFrontOrigin(PolicyContext c, Node bucket) =>
        c.OfType("aws:cloudfront:Distribution").Any(d => V.Items(d["origins"]).OfType<MapValue>().Any(o => V.RefName(o["domainName"]) == bucket.Name));

    /// <summary>An enabled lifecycle rule for the whole bucket (no prefix or tag filter) expires objects within 30 days.</summary>
    private static bool IsTransient(PolicyContext c, Node bucket) =>
        c.Referencing("aws:s3:BucketLifecycleConfiguration", "bucket", bucket)
            .SelectMany(l => V.Items(l["rules"]).OfType<MapValue>())
            .Any(r => V.Str(r["status"]) == "Enabled" && V.Num(V.At(r, "expiration.days")) is > 0 and <= 30 &&
                      (r["filter"] is null || r["filter"] is MapValue { Entries.Count: 0 } || (r["filter"] is MapValue f && f.Entries.Count == 1 && V.Str(f["prefix"]) == "")));

    /// <summary>The Lambda event source mappings that read an SQS queue of the template, with that queue and (when the template has it) the function.</summary>
    private static IEnumerable<(Node Mapping, Node Queue, Node? Function)> QueueMappings(PolicyContext c) =>
        c.OfType("aws:lambda:EventSourceMapping")
            .Select(m => (Mapping: m, Queue: c.Find(V.RefName(m["eventSourceArn"]) ?? ""), Function: c.Find(V.RefName(m["functionName"]) ?? "")))
            .Where(m => m.Queue is { Type: "aws:sqs:Queue" })
            .Select(m => (m.Mapping, m.Queue!, m.Function is { Type: "aws:lambda:Function" } ? m.Function : null));

    /// <summary>What SQS and Lambda assume when a template leaves them unset (SQS: 30 s visibility; Lambda: 3 s timeout).</summary>
    private const double DefaultVisibilitySeconds = 30, DefaultTimeoutSeconds = 3;

    private static bool Public(Value? document) =>
        Statement.Of(V.Document(document)).Any(s => s.Allows && s.PrincipalIsAnyone && s.Condition is null);

    public static IEnumerable<Rule> All =>
    [
        new("ECR.1", Severity.High, "Repositories scan images on push (imageScanningConfiguration.scanOnPush true).", Rule.Mandatory, c =>
            c.OfType("aws:ecr:Repository").Where(r => !V.IsTrue(r["imageScanningConfiguration.scanOnPush"]))
                .Select(r => r.Violation("does not scan images for vulnerabilities.", "set imageScanningConfiguration: {scanOnPush: true}"))),

        new("ECR.2", Severity.Medium, "Image tags are immutable (imageTagMutability IMMUTABLE).", Rule.Mandatory, c =>
            c.OfType("aws:ecr:Repository").Where(r => V.Str(r["imageTagMutability"]) is not ("IMMUTABLE" or "IMMUTABLE_WITH_EXCLUSION"))
                .Select(r => r.Violation("lets a pushed tag be overwritten, so a promoted version can change under the same tag.", "set imageTagMutability: IMMUTABLE"))),

        new("ECR.3", Severity.Medium, "Every repository has an aws:ecr:LifecyclePolicy.", Rule.Advisory, c =>
            c.OfType("aws:ecr:Repository").Where(r => !c.Referencing("aws:ecr:LifecyclePolicy", "repository", r).Any())
                .Select(r => r.Violation("keeps every image forever.", "add aws:ecr:LifecyclePolicy {repository: ${<repo>.name}, policy} (expire untagged images after 7 days, keep the last N)"))),

        new("CloudWatch.16", Severity.Medium, "Log groups keep logs for at least a year (retentionInDays >= 365, or never expire); mandatory in protected stages.", Rule.WhereProtected, c =>
            c.OfType("aws:cloudwatch:LogGroup").Where(g => V.Num(g["retentionInDays"]) is { } d && d > 0 && d < 365)
                .Select(g => g.Violation($"keeps logs for {V.Str(g["retentionInDays"])} days, less than a year.", "set retentionInDays: 365 (platform:profile.logRetentionDays)"))),

        new("PLATFORM.LOGS.1", Severity.Low, "Log groups set retentionInDays, at least the stage profile's logRetentionDays (never unlimited by omission).", Rule.Mandatory, c =>
            c.OfType("aws:cloudwatch:LogGroup").Where(g => V.Num(g["retentionInDays"]) is not { } d || (d > 0 && d < c.Profile.LogRetentionDays))
                .Select(g => g.Violation(g["retentionInDays"] is null ? "keeps logs forever (no retentionInDays), at ever-growing cost."
                        : $"keeps logs for {V.Str(g["retentionInDays"])} days, less than the stage's {c.Profile.LogRetentionDays}.",
                    $"set retentionInDays: {c.Profile.LogRetentionDays} (platform:profile.logRetentionDays)"))),

        new("PLATFORM.LOGS.2", Severity.Medium, "Log groups are encrypted with a customer-managed KMS key (kmsKeyId), so reading them takes kms:Decrypt on that key.", Rule.Mandatory, c =>
            c.OfType("aws:cloudwatch:LogGroup").Where(g => g["kmsKeyId"] is null)
                .Select(g => g.Violation("is encrypted with a key CloudWatch Logs owns, so anyone who may read logs reads it.",
                    "set kmsKeyId: ${logs-key.arn} (the stack's log key: create log groups with LogGroups.Add)"))),

        new("SQS.1", Severity.Medium, "Queues are encrypted at rest (sqsManagedSseEnabled true or kmsMasterKeyId).", Rule.Mandatory, c =>
            c.OfType("aws:sqs:Queue").Where(q => q["kmsMasterKeyId"] is null && !V.IsTrue(q["sqsManagedSseEnabled"]))
                .Select(q => q.Violation("is not explicitly encrypted at rest.", "set sqsManagedSseEnabled: true, or kmsMasterKeyId: ${<key>.arn}"))),

        new("SQS.3", Severity.Medium, "Queue access policies allow no one unconditionally (Principal \"*\" without a condition).", Rule.Mandatory, c =>
            c.OfType("aws:sqs:QueuePolicy").Where(p => Public(p["policy"])).Concat(c.OfType("aws:sqs:Queue").Where(q => Public(q["policy"])))
                .Select(p => p.Violation("lets anyone send or receive messages.", "grant a service principal (e.g. s3.amazonaws.com) with aws:SourceArn and aws:SourceAccount conditions"))),

        new("Lambda.1", Severity.Critical, "Lambda permissions never allow public invocation: a principal other than \"*\", and sourceArn or sourceAccount for service principals.", Rule.Mandatory, c =>
            c.OfType("aws:lambda:Permission").Where(p => V.Str(p["principal"]) is "*" ||
                    (V.Str(p["principal"])?.EndsWith(".amazonaws.com", StringComparison.Ordinal) == true && p["sourceArn"] is null && p["sourceAccount"] is null))
                .Select(p => p.Violation("lets anyone (or any AWS account's resources) invoke the function.", "set principal to the service and sourceArn to the invoking resource's ARN"))),

        new("Lambda.2", Severity.Medium, "Functions use a supported runtime.", Rule.Mandatory, c =>
            c.OfType("aws:lambda:Function").Where(f => V.Str(f["runtime"]) is { } r && !SupportedRuntimes.Contains(r))
                .Select(f => f.Violation($"uses runtime {V.Str(f["runtime"])}, which is not on the supported list.", $"use one of {string.Join(", ", SupportedRuntimes)}"))),

        new("Lambda.5", Severity.Medium, "VPC-attached functions use subnets in at least 2 AZs.", Rule.Mandatory, c =>
            c.OfType("aws:lambda:Function").Where(f => f["vpcConfig"] is not null && f["vpcConfig.subnetIds"] is ListValue { Items.Count: < 2 })
                .Select(f => f.Violation("runs in a single subnet (one AZ).", "set vpcConfig.subnetIds to the private subnets of 2+ AZs"))),

        new("PLATFORM.SQS.1", Severity.Medium, "A queue that a Lambda event source mapping reads has a redrive policy: a message that keeps failing moves to a dead-letter queue.", Rule.Mandatory, c =>
            QueueMappings(c).Where(m => m.Queue["redrivePolicy"] is null).Select(m => m.Queue).DistinctBy(q => q.Name)
                .Select(q => q.Violation("retries a failing message until its retention ends, then drops it unseen.", "set redrivePolicy: {fn::toJSON: {deadLetterTargetArn: ${<dlq>.arn}, maxReceiveCount: 5}}"))),

        new("PLATFORM.LAMBDA.1", Severity.Medium, "The queue of an SQS event source mapping has a visibility timeout of at least six times the function's timeout.", Rule.Mandatory, c =>
            QueueMappings(c).Where(m => m.Function is not null &&
                    (V.Num(m.Queue["visibilityTimeoutSeconds"]) ?? DefaultVisibilitySeconds) < 6 * (V.Num(m.Function["timeout"]) ?? DefaultTimeoutSeconds))
                .Select(m => m.Mapping.Violation(
                    $"reads {m.Queue.Name} (visibility {V.Num(m.Queue["visibilityTimeoutSeconds"]) ?? DefaultVisibilitySeconds} s) into {m.Function!.Name} (timeout {V.Num(m.Function["timeout"]) ?? DefaultTimeoutSeconds} s): a message reappears while an invocation may still hold it.",
                    $"set visibilityTimeoutSeconds on {m.Queue.Name} to at least 6 times the function's timeout"))),

        new("SecretsManager.1", Severity.Medium, "Every secret has an aws:secretsmanager:SecretRotation rotating it within 90 days (covers SecretsManager.4).", Rule.Advisory, c =>
            c.OfType("aws:secretsmanager:Secret").Where(s => !c.Referencing("aws:secretsmanager:SecretRotation", "secretId", s)
                    .Any(r => V.Num(r["rotationRules.automaticallyAfterDays"]) is null or <= 90))
                .Select(s => s.Violation("is never rotated.", "add aws:secretsmanager:SecretRotation {secretId: ${<secret>.id}, rotationLambdaArn, rotationRules: {automaticallyAfterDays: 30}}, or use an RDS-managed secret"))),

        new("PLATFORM.REL.1", Severity.High, "In protected stages, data stores (RDS instances, secrets, S3 buckets) carry the protect or retainOnDelete option. Buckets exempt: a CloudFront S3 origin (redeployable content) and a bucket whose whole-bucket lifecycle rule expires objects within 30 days (transient by design).", Rule.Mandatory, c =>
            c.Profile.Protect
                ? StatefulTypes.SelectMany(c.OfType)
                    .Where(n => !(n.Resource.Options.Protect == true || n.Resource.Options.RetainOnDelete == true))
                    .Where(n => n.Type != "aws:s3:Bucket" || !(IsCloudFrontOrigin(c, n) || IsTransient(c, n)))
                    .Select(n => n.Violation("would be deleted by a stack destroy or a replacement.", "create it with ResourceOptions.Stateful(settings.Profile.Protect)"))
                : []),
    ];
}
