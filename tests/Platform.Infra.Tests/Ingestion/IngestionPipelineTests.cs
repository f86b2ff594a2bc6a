using System.Text.Json;
using Platform.Infra.Components.Ingestion;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.IngestionStacks;

namespace Platform.Infra.Tests;

public class IngestionPipelineTests
{
    private static string[] Strings(JsonElement e) => StorageStacks.Strings(e);

    private static IReadOnlyList<string> DependsOn(Resource resource) => resource.Options.DependsOn?.Select(r => r.LogicalName).ToArray() ?? [];

    [Fact]
    public void Notifications_of_new_inbox_documents_reach_the_function_through_the_queue()
    {
        var template = Template();
        var notification = template.Get("documents-inbox-notifications");
        Assert.Equal("${documents-inbox-bucket.id}", notification.Text("bucket"));
        Assert.Equal("${documents-inbox-ingest-queue.arn}", notification.Text("queues[0].queueArn"));
        Assert.Equal("s3:ObjectCreated:*", notification.Text("queues[0].events[0]"));
        Assert.Equal("incoming/", notification.Text("queues[0].filterPrefix"));
        Assert.Null(notification.Prop("queues[0].filterSuffix"));

        var mapping = template.Get("documents-inbox-ingest-mapping");
        Assert.Equal("${documents-inbox-ingest-queue.arn}", mapping.Text("eventSourceArn"));
        Assert.Equal("${documents-inbox-ingest-function.arn}", mapping.Text("functionName"));
        Assert.Equal("ReportBatchItemFailures", mapping.Text("functionResponseTypes[0]"));
        Assert.Equal("2", mapping.Text("scalingConfig.maximumConcurrency"));
        Assert.Equal("10", mapping.Text("batchSize"));

        var function = template.Get("documents-inbox-ingest-function");
        Assert.Equal("dotnet10", function.Text("runtime"));
        Assert.Equal("Platform.Ingest::Platform.Ingest.Function::HandleAsync", function.Text("handler"));
        Assert.Equal(new FunctionValue("fn::fileArchive", new StringValue("../artifacts/functions/ingest.zip")), function.Prop("code"));
        Assert.Equal("${documents-inbox-ingest-role.arn}", function.Text("role"));
        Assert.Equal("${documents-inbox-bucket.bucket}", function.Text("environment.variables.DOCUMENTS_BUCKET"));
        Assert.Equal("incoming/", function.Text("environment.variables.INBOX_PREFIX"));
        Assert.Equal("processed/", function.Text("environment.variables.PROCESSED_PREFIX"));
        // The store expires documents after 2 days: older ones are past their retention.
        Assert.Equal("48", function.Text("environment.variables.MAX_DOCUMENT_AGE_HOURS"));
    }

    [Fact]
    public void The_package_the_template_names_is_where_a_release_build_writes_it()
    {
        // Pulumi resolves the path from the program directory (Pulumi.yaml main: infra/).
        var package = Path.GetFullPath(Path.Combine(TestStacks.RepoRoot, "infra", IngestionPipeline.PackagePath));
        Assert.Equal(Path.Combine(TestStacks.RepoRoot, "artifacts", "functions", "ingest.zip"), package);
    }

    [Fact]
    public void Failed_messages_end_in_an_encrypted_dead_letter_queue_that_keeps_them_longer()
    {
        var template = Template();
        var queue = template.Get("documents-inbox-ingest-queue");
        var dlq = template.Get("documents-inbox-ingest-dlq");
        Assert.Equal("${documents-inbox-ingest-key.arn}", queue.Text("kmsMasterKeyId"));
        Assert.Equal("${documents-inbox-ingest-key.arn}", dlq.Text("kmsMasterKeyId"));
        Assert.Equal("360", queue.Text("visibilityTimeoutSeconds"));
        Assert.Equal(4 * 86400, int.Parse(queue.Text("messageRetentionSeconds")!));
        Assert.Equal(14 * 86400, int.Parse(dlq.Text("messageRetentionSeconds")!));

        var redrive = Json(template, "documents-inbox-ingest-queue", "redrivePolicy");
        Assert.Equal("arn:aws:sqs:eu-west-1:111111111111:platform-test-documents-inbox-ingest-dlq", redrive.GetProperty("deadLetterTargetArn").GetString());
        Assert.Equal(5, redrive.GetProperty("maxReceiveCount").GetInt32());

        var allow = Json(template, "documents-inbox-ingest-dlq-redrive-allow", "redriveAllowPolicy");
        Assert.Equal("byQueue", allow.GetProperty("redrivePermission").GetString());
        Assert.Equal([Queue], Strings(allow.GetProperty("sourceQueueArns")));
        Assert.Equal("${documents-inbox-ingest-dlq.url}", template.Get("documents-inbox-ingest-dlq-redrive-allow").Text("queueUrl"));
    }

    [Fact]
    public void Only_s3_for_this_bucket_and_account_may_send_to_the_queue()
    {
        var statement = Assert.Single(StorageStacks.PolicyOf(Template(), "documents-inbox-ingest-queue-policy"));
        Assert.Equal(["s3.amazonaws.com"], Strings(statement.GetProperty("Principal").GetProperty("Service")));
        Assert.Equal(["sqs:SendMessage"], Strings(statement.GetProperty("Action")));
        Assert.Equal([Queue], Strings(statement.GetProperty("Resource")));
        var statements = new[] { statement };
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(statements,
            PolicyRequest.Of("sqs:SendMessage", Queue, ("aws:SourceArn", Bucket), ("aws:SourceAccount", "111111111111"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(statements,
            PolicyRequest.Of("sqs:SendMessage", Queue, ("aws:SourceArn", "arn:aws:s3:::someone-elses-bucket"), ("aws:SourceAccount", "111111111111"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(statements,
            PolicyRequest.Of("sqs:SendMessage", Queue, ("aws:SourceArn", Bucket), ("aws:SourceAccount", "222222222222"))));
    }

    [Fact]
    public void The_key_admits_s3_for_this_bucket_and_queue_and_the_function_only_through_sqs()
    {
        var statements = StorageStacks.PolicyOf(Template(), "documents-inbox-ingest-key");
        var s3 = StorageStacks.Sid(statements, "S3NotifiesTheQueue");
        Assert.Equal(["s3.amazonaws.com"], Strings(s3.GetProperty("Principal").GetProperty("Service")));
        var fromS3 = new[] { s3 };
        (string, string)[] s3Context = [("aws:SourceArn", Bucket), ("aws:SourceAccount", "111111111111"), ("kms:EncryptionContext:aws:sqs:arn", Queue)];
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(fromS3, PolicyRequest.Of("kms:GenerateDataKey", Key, s3Context)));
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(fromS3, PolicyRequest.Of("kms:Decrypt", Key, s3Context)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(fromS3, PolicyRequest.Of("kms:GenerateDataKey", Key,
            ("aws:SourceArn", "arn:aws:s3:::another-bucket"), ("aws:SourceAccount", "111111111111"), ("kms:EncryptionContext:aws:sqs:arn", Queue))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(fromS3, PolicyRequest.Of("kms:GenerateDataKey", Key,
            ("aws:SourceArn", Bucket), ("aws:SourceAccount", "111111111111"), ("kms:EncryptionContext:aws:sqs:arn", Queue + "-other"))));

        var function = StorageStacks.Sid(statements, "FunctionReadsTheQueueThroughSqs");
        Assert.Equal(RoleArn, function.GetProperty("Principal").GetProperty("AWS").GetString());
        var asFunction = new[] { function };
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(asFunction, PolicyRequest.Of("kms:Decrypt", Key, ("kms:ViaService", "sqs.eu-west-1.amazonaws.com"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(asFunction, PolicyRequest.Of("kms:Decrypt", Key)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(asFunction, PolicyRequest.Of("kms:Encrypt", Key, ("kms:ViaService", "sqs.eu-west-1.amazonaws.com"))));

        // The function's log group is encrypted with the stack's log key, not this one: nothing else may use it.
        Assert.Equal(["AccountAdministersTheKeyThroughIam", "FunctionReadsTheQueueThroughSqs", "S3NotifiesTheQueue"], statements.Select(s => s.GetProperty("Sid").GetString()).Order());
    }

    private const string Inbox = "arn:aws:s3:::documents-inbox-bucket/incoming/2026/report.csv";
    private const string Processed = "arn:aws:s3:::documents-inbox-bucket/processed/2026/report.csv";

    [Theory]
    [InlineData("s3:GetObject", Inbox, PolicyDecision.Allow)]
    [InlineData("s3:DeleteObject", Inbox, PolicyDecision.Allow)]
    [InlineData("s3:GetObject", Processed, PolicyDecision.Allow)]
    [InlineData("s3:PutObject", Processed, PolicyDecision.Allow)]
    [InlineData("s3:ListBucket", Bucket, PolicyDecision.Allow)]
    [InlineData("s3:PutObject", Inbox, PolicyDecision.NotAllowed)]
    [InlineData("s3:DeleteObject", Processed, PolicyDecision.NotAllowed)]
    [InlineData("s3:GetObject", "arn:aws:s3:::documents-inbox-bucket/other/report.csv", PolicyDecision.NotAllowed)]
    [InlineData("s3:GetObjectVersion", Inbox, PolicyDecision.NotAllowed)]
    [InlineData("s3:GetObject", "arn:aws:s3:::signatures-images-bucket/incoming/report.csv", PolicyDecision.NotAllowed)]
    [InlineData("sqs:ReceiveMessage", Queue, PolicyDecision.Allow)]
    [InlineData("sqs:DeleteMessage", Queue, PolicyDecision.Allow)]
    [InlineData("sqs:SendMessage", Queue, PolicyDecision.NotAllowed)]
    [InlineData("logs:CreateLogGroup", "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/platform-test-documents-inbox-ingest-function", PolicyDecision.NotAllowed)]
    [InlineData("logs:PutLogEvents", "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/platform-test-documents-inbox-ingest-function:log-stream:2026/11/26/x", PolicyDecision.Allow)]
    public void The_function_role_may_do_what_the_function_needs_and_nothing_else(string action, string resource, PolicyDecision expected)
    {
        var role = StorageStacks.PolicyOf(Template(), "documents-inbox-ingest-role-policy");
        Assert.Equal(expected, PolicySimulator.Decide(role, PolicyRequest.Of(action, resource)));
    }

    [Fact]
    public void The_function_decrypts_the_queue_only_through_sqs_and_the_bucket_policy_lets_its_tls_requests_through()
    {
        var template = Template();
        var role = StorageStacks.PolicyOf(template, "documents-inbox-ingest-role-policy");
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(role, PolicyRequest.Of("kms:Decrypt", Key, ("kms:ViaService", "sqs.eu-west-1.amazonaws.com"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(role, PolicyRequest.Of("kms:Decrypt", Key)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(role, PolicyRequest.Of("kms:Decrypt", Key, ("kms:ViaService", "s3.eu-west-1.amazonaws.com"))));

        // The store's bucket policy denies requests without TLS only: the function's SDK calls (HTTPS) pass.
        var bucketPolicy = StorageStacks.PolicyOf(template, "documents-inbox-policy");
        foreach (var (action, resource) in new[] { ("s3:GetObject", Inbox), ("s3:DeleteObject", Inbox), ("s3:PutObject", Processed), ("s3:ListBucket", Bucket) })
            Assert.NotEqual(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(bucketPolicy, PolicyRequest.Of(action, resource, ("aws:SecureTransport", "true"))));
    }

    [Fact]
    public void On_a_first_deploy_s3_can_send_and_encrypt_before_the_notification_exists_and_the_role_works_before_the_function()
    {
        var template = Template();
        var notification = template.Get("documents-inbox-notifications");
        Assert.Equal(["documents-inbox-ingest-queue-policy", "documents-inbox-ingest-key"], DependsOn(notification));
        Assert.Equal(["documents-inbox-ingest-role-policy"], DependsOn(template.Get("documents-inbox-ingest-function")));
        Assert.Equal(["documents-inbox-ingest-role-policy"], DependsOn(template.Get("documents-inbox-ingest-mapping")));
        // The log group exists before the function writes to it: the function names it.
        Assert.Equal("${documents-inbox-ingest-logs.name}", template.Get("documents-inbox-ingest-function").Text("loggingConfig.logGroup"));
    }

    [Fact]
    public void The_function_logs_json_to_its_own_encrypted_log_group_kept_for_the_stages_retention()
    {
        var template = Template(c => TestStacks.Set(c, "platform:profile", "logRetentionDays", 90));
        var logs = template.Get("documents-inbox-ingest-logs");
        Assert.Equal("/aws/lambda/platform-test-documents-inbox-ingest-function", logs.Text("name"));
        Assert.Equal("90", logs.Text("retentionInDays"));
        Assert.Equal("${logs-key.arn}", logs.Text("kmsKeyId"));
        Assert.Equal("JSON", template.Get("documents-inbox-ingest-function").Text("loggingConfig.logFormat"));
    }

    [Fact]
    public void Physical_names_stay_within_aws_limits_and_unique_for_long_service_and_pipeline_names()
    {
        const string service = "a-very-long-service1";
        var result = TestStacks.Compile(TestStacks.Config(c => c["platform:services"] =
            $"{{\"{service}\":" + """{"dataClassification":"internal","stores":[{"kind":"transientStore","name":"in"}],"ingestion":[{"store":"in","name":"a-long-pipeline-name"}]}}"""), "a-long-stack-name");
        Assert.True(result.Succeeded, result.ErrorMessage);
        var template = result.Template!;
        string Name(string role) => template.Get($"{service}-a-long-pipeline-name-{role}").Text("name")!;
        Assert.InRange(Name("queue").Length, 1, 80);
        Assert.InRange(Name("dlq").Length, 1, 80);
        Assert.Equal(64, Name("function").Length);
        Assert.InRange(Name("role").Length, 1, 64);
        Assert.NotEqual(Name("queue"), Name("dlq"));
        // Too long for Lambda's 64: its beginning, then a hash of the whole name.
        Assert.Matches("^platform-a-long-stack-name-a-very-long-service1-a-[a-z-]*-[0-9a-f]{7}$", Name("function"));
    }

    [Fact]
    public void The_stack_exports_the_queue_urls_and_the_function_name_and_the_pipeline_exposes_the_names_alarms_need()
    {
        var template = Template();
        Assert.Equal(new ReferenceValue("documents-inbox-ingest-queue", "url"), template.Outputs["documents-inbox-ingest-queueUrl"]);
        Assert.Equal(new ReferenceValue("documents-inbox-ingest-dlq", "url"), template.Outputs["documents-inbox-ingest-deadLetterQueueUrl"]);
        Assert.Equal(new ReferenceValue("documents-inbox-ingest-function", "name"), template.Outputs["documents-inbox-ingest-functionName"]);

        var settings = Settings.StackSettings.Load(TestStacks.Project, "test", TestStacks.Config(c => c["platform:services"] = Services));
        var stack = new StackContext(TestStacks.Project, "test", new Template());
        var ingestion = StackIngestion.Create(stack, settings, Components.Storage.StackStorage.Create(stack, settings), Components.LogGroups.Create(stack, settings));
        var pipeline = Assert.Single(ingestion.Pipelines);
        Assert.Equal("${documents-inbox-ingest-queue.name}", pipeline.QueueName.ToString());
        Assert.Equal("${documents-inbox-ingest-dlq.name}", pipeline.DeadLetterQueueName.ToString());
        Assert.Equal("${documents-inbox-ingest-function.name}", pipeline.FunctionName.ToString());
    }

    [Fact]
    public void A_service_without_ingestion_gets_no_queue_function_or_notification()
    {
        var template = StorageStacks.Template();
        Assert.Empty(template.OfType<Aws.Sqs.Queue>());
        Assert.Empty(template.OfType<Aws.Lambda.Function>());
        Assert.Empty(template.OfType<Aws.S3.BucketNotification>());
    }
}
