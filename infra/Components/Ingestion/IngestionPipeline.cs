using System.Globalization;
using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.Lambda;
using Platform.Infra.Aws.S3;
using Platform.Infra.Aws.Sqs;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Ingestion;

/// <summary>Inputs of one <see cref="IngestionPipeline"/>.</summary>
/// <param name="Service">The service that owns the store and the pipeline.</param>
/// <param name="Pipeline">Filters, batching, timeouts, retention.</param>
/// <param name="Store">The transient store whose bucket notifies the pipeline (its grant API gives the function its access).</param>
/// <param name="StoreSettings">The store's settings: documents older than its expiry are refused by the function.</param>
/// <param name="Profile">Log retention and protection of the stage.</param>
/// <param name="Aws">Account, region and partition (ARNs of the key policy, <c>kms:ViaService</c>).</param>
/// <param name="Logs">The stack's log groups (the function's group).</param>
public sealed record IngestionPipelineArgs(
    string Service,
    IngestionSettings Pipeline,
    IStore Store,
    TransientStoreSettings StoreSettings,
    StageProfile Profile,
    AwsSettings Aws,
    LogGroups Logs);

/// <summary>
/// One ingestion pipeline: S3 notifications of a transient store's inbox → an SQS queue (encrypted with the pipeline's
/// customer-managed key, which S3 may use for that bucket only) with a dead-letter queue → the ingestion function
/// (docs/ingestion-function.md) through an event source mapping with partial batch responses and a concurrency limit.
/// The function has a least-privilege role (the store's process grant, the queue, the key only through SQS, its log
/// group) and its own log group (<see cref="LogGroups"/>: the stack's log key, the stage's retention).
/// <para>The bucket's notification itself is made by <see cref="StackIngestion"/>: one per bucket, for all its pipelines.</para>
/// </summary>
public sealed class IngestionPipeline
{
    /// <summary>The function's package, relative to the Pulumi program directory (infra/); built by functions/Platform.Ingest.</summary>
    public const string PackagePath = "../artifacts/functions/ingest.zip";

    public const string Runtime = "dotnet10";
    public const string Handler = "Platform.Ingest::Platform.Ingest.Function::HandleAsync";

    /// <summary>SQS queue names: at most 80 characters (SQS developer guide, "Amazon SQS quotas").</summary>
    public const int QueueNameLength = 80;

    /// <summary>Lambda function names: at most 64 characters (Lambda API reference, CreateFunction).</summary>
    public const int FunctionNameLength = 64;

    private const int SecondsPerDay = 86400;

    public IngestionPipeline(ComponentScope scope, IngestionPipelineArgs args)
    {
        var p = args.Pipeline;
        var aws = args.Aws;
        Settings = p;
        Name = $"{args.Service}-{p.Name}";
        Store = args.Store;
        var queueName = scope.PhysicalName("queue", QueueNameLength);
        var functionName = scope.PhysicalName("function", FunctionNameLength);
        var logGroupName = $"/aws/lambda/{functionName}";
        var queueArn = $"arn:{aws.Partition}:sqs:{aws.Region}:{aws.AccountId}:{queueName}";

        Role = scope.Add("role", new RoleArgs
        {
            Name = scope.PhysicalName("role", ComponentScope.RoleNameLength),
            Description = $"The ingestion function {functionName}: takes documents from {p.Prefix} of store {p.Store} (service {args.Service}), writes them to {p.ProcessedPrefix}.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("lambda.amazonaws.com", aws.AccountId).ToJson(),
        });

        Key = CustomerKey.Create(scope, "key", aws, args.Profile.Protect,
            $"Encrypts the ingestion queues of {args.Service}/{p.Name} in {scope.Stack.Project}/{scope.Stack.Stack}.",
            [
                CustomerKey.AccountPolicy(aws),
                new PolicyStatement
                {
                    // S3 encrypts the notifications it sends to the queue (and the test message it sends when the
                    // configuration is written): GenerateDataKey and Decrypt, for this bucket and this queue only (SQS
                    // developer guide, "Configure KMS permissions for AWS services").
                    Sid = "S3NotifiesTheQueue",
                    Principal = PolicyStatement.ServicePrincipal("s3.amazonaws.com"),
                    Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resources = [PolicyStatement.Literal("*")],
                    Conditions = PolicyStatement.Condition(
                        ("ArnEquals", "aws:SourceArn", args.Store.BucketArn),
                        ("StringEquals", "aws:SourceAccount", PolicyStatement.Literal(aws.AccountId)),
                        ("StringEquals", "kms:EncryptionContext:aws:sqs:arn", PolicyStatement.Literal(queueArn))),
                },
                new PolicyStatement
                {
                    Sid = "FunctionReadsTheQueueThroughSqs",
                    Principal = PolicyStatement.AwsPrincipal(Role.Arn),
                    Actions = ["kms:Decrypt"],
                    Resources = [PolicyStatement.Literal("*")],
                    Conditions = PolicyStatement.Condition(PolicyStatement.ViaService("sqs", aws.Region)),
                },
            ]).Key;

        DeadLetterQueue = scope.Add("dlq", new QueueArgs
        {
            Name = scope.PhysicalName("dlq", QueueNameLength),
            KmsMasterKeyId = Key.Arn,
            MessageRetentionSeconds = p.DeadLetterRetentionDays * SecondsPerDay,
        });
        Queue = scope.Add("queue", new QueueArgs
        {
            Name = queueName,
            KmsMasterKeyId = Key.Arn,
            MessageRetentionSeconds = p.RetentionDays * SecondsPerDay,
            VisibilityTimeoutSeconds = p.VisibilityTimeoutSeconds,
            RedrivePolicy = Input<string>.FromValue(FunctionValue.ToJson(MapValue.From(
            [
                new("deadLetterTargetArn", DeadLetterQueue.Arn.Expression),
                new("maxReceiveCount", new NumberValue(p.MaxReceiveCount)),
            ]))),
        });
        // Only this queue may move messages into the dead-letter queue (a separate resource: the queue names the
        // dead-letter queue, so the dead-letter queue cannot name the queue in its own inputs).
        scope.Add("dlq-redrive-allow", new RedriveAllowPolicyArgs
        {
            QueueUrl = DeadLetterQueue.Url,
            RedriveAllowPolicy = Input<string>.FromValue(FunctionValue.ToJson(MapValue.From(
            [
                new("redrivePermission", new StringValue("byQueue")),
                new("sourceQueueArns", new ListValue([Queue.Arn.Expression])),
            ]))),
        });
        QueuePolicy = scope.Add("queue-policy", new QueuePolicyArgs
        {
            QueueUrl = Queue.Url,
            Policy = new PolicyDocument(new PolicyStatement
            {
                Sid = "S3SendsNotificationsOfTheStore",
                Principal = PolicyStatement.ServicePrincipal("s3.amazonaws.com"),
                Actions = ["sqs:SendMessage"],
                Resources = [Queue.Arn],
                Conditions = PolicyStatement.Condition(
                    ("ArnEquals", "aws:SourceArn", args.Store.BucketArn),
                    ("StringEquals", "aws:SourceAccount", PolicyStatement.Literal(aws.AccountId))),
            }).ToJson(),
        });

        LogGroup = args.Logs.Add(scope, "logs", logGroupName, stateful: true);

        var rolePolicy = scope.Add("role-policy", new RolePolicyArgs
        {
            Role = Role.Id,
            Policy = new PolicyDocument(
            [
                .. args.Store.GrantProcess(p.Prefix, p.ProcessedPrefix),
                new PolicyStatement
                {
                    // What the event source mapping does with the function's role (Lambda developer guide, "Using
                    // Lambda with Amazon SQS": execution role permissions).
                    Sid = "ReceiveFromTheQueue",
                    Actions = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                    Resources = [Queue.Arn],
                },
                new PolicyStatement
                {
                    Sid = "DecryptTheQueueThroughSqs",
                    Actions = ["kms:Decrypt"],
                    Resources = [Key.Arn],
                    Conditions = PolicyStatement.Condition(PolicyStatement.ViaService("sqs", aws.Region)),
                },
                EcsRoles.WriteLogs(LogGroup.Arn),
            ]).ToJson(),
        });

        Function = scope.Add("function", new FunctionArgs
        {
            Name = functionName,
            Description = $"Ingests the documents of store {p.Store} (service {args.Service}): {p.Prefix} to {p.ProcessedPrefix}.",
            Role = Role.Arn,
            Runtime = Runtime,
            Handler = Handler,
            Code = Input<Value>.FromValue(FunctionValue.FileArchive(PackagePath)),
            Architectures = ["arm64"],
            MemorySize = p.MemoryMb,
            Timeout = p.TimeoutSeconds,
            Environment = new FunctionEnvironment { Variables = Environment(args) },
            // The function writes one JSON object a line with a "level" key, which JSON log format keeps as it is and
            // filters by level (Lambda developer guide, "Log-level filtering"); the log group is the one made above.
            LoggingConfig = new FunctionLoggingConfig { LogFormat = "JSON", LogGroup = LogGroup.Name, ApplicationLogLevel = "INFO", SystemLogLevel = "INFO" },
        }, new ResourceOptions { DependsOn = [rolePolicy] });

        Mapping = scope.Add("mapping", new EventSourceMappingArgs
        {
            EventSourceArn = Queue.Arn,
            FunctionName = Function.Arn,
            BatchSize = p.BatchSize,
            MaximumBatchingWindowInSeconds = p.BatchingWindowSeconds,
            ScalingConfig = new EventSourceMappingScalingConfig { MaximumConcurrency = p.MaximumConcurrency },
            FunctionResponseTypes = ["ReportBatchItemFailures"],
        }, new ResourceOptions
        {
            // Lambda checks at creation that the role may receive from the queue.
            DependsOn = [rolePolicy],
        });
    }

    /// <summary><c>&lt;service&gt;-&lt;pipeline&gt;</c>: the prefix of its resources and outputs, and of its alarms.</summary>
    public string Name { get; }

    public IngestionSettings Settings { get; }

    public IStore Store { get; }

    public Role Role { get; }

    public Key Key { get; }

    public Queue Queue { get; }

    public Queue DeadLetterQueue { get; }

    public QueuePolicy QueuePolicy { get; }

    public LogGroup LogGroup { get; }

    public Function Function { get; }

    public EventSourceMapping Mapping { get; }

    /// <summary>The queue's name (the <c>QueueName</c> dimension of its CloudWatch metrics).</summary>
    public Output<string> QueueName => Queue.Name;

    /// <summary>The dead-letter queue's name: its depth is the alarm that someone must look at failed documents.</summary>
    public Output<string> DeadLetterQueueName => DeadLetterQueue.Name;

    /// <summary>The function's name (the <c>FunctionName</c> dimension of its CloudWatch metrics).</summary>
    public Output<string> FunctionName => Function.Name;

    /// <summary>This pipeline's entry of its bucket's notification configuration.</summary>
    public BucketNotificationQueue Destination => new()
    {
        Id = Settings.Name,
        QueueArn = Queue.Arn,
        Events = ["s3:ObjectCreated:*"],
        FilterPrefix = Settings.Prefix,
        FilterSuffix = Settings.Suffix.Length == 0 ? null : (Input<string>)Settings.Suffix,
    };

    /// <summary>What the notification configuration waits for: S3 must be able to send to the queue and encrypt for it.</summary>
    public IReadOnlyList<Resource> ReadyForNotifications => [QueuePolicy, Key];

    /// <summary>The function's environment (docs/ingestion-function.md, "Environment").</summary>
    private static InputMap<string> Environment(IngestionPipelineArgs args) => new()
    {
        ["DOCUMENTS_BUCKET"] = args.Store.BucketName,
        ["INBOX_PREFIX"] = args.Pipeline.Prefix,
        ["PROCESSED_PREFIX"] = args.Pipeline.ProcessedPrefix,
        // A document older than the store's expiry is past its retention, even if S3 has not removed it yet.
        ["MAX_DOCUMENT_AGE_HOURS"] = Math.Min(MaxDocumentAgeHours, args.StoreSettings.ExpireAfterDays * 24).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The function's upper limit of <c>MAX_DOCUMENT_AGE_HOURS</c>.</summary>
    public const int MaxDocumentAgeHours = 720;
}
