using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

public class IngestionSettingsTests
{
    private const string Key = "platform:services.documents.ingestion";

    private static IReadOnlyList<ConfigProblem> Refused(params (string Field, object? Value)[] fields) =>
        Problems(c =>
        {
            c["platform:services"] = IngestionStacks.Services;
            IngestionStacks.Pipeline(c, 0, fields);
        });

    private static IReadOnlyList<ConfigProblem> RefusedServices(string services) => Problems(c => c["platform:services"] = services);

    [Fact]
    public void A_visibility_timeout_below_six_function_timeouts_is_refused_with_the_smallest_that_works()
    {
        var problem = Assert.Single(Refused(("timeoutSeconds", 120), ("visibilityTimeoutSeconds", 600)));
        Assert.Equal($"{Key}[0].visibilityTimeoutSeconds", problem.Key);
        Assert.Contains("600 s is less than 6 times the function's timeout (120 s)", problem.Problem);
        Assert.Contains($"pulumi config set --path '{Key}[0].visibilityTimeoutSeconds' 720", problem.Fix);
    }

    [Fact]
    public void Without_a_visibility_timeout_the_queue_gets_six_function_timeouts()
    {
        var template = IngestionStacks.Template(c => IngestionStacks.Pipeline(c, 0, ("timeoutSeconds", 100)));
        Assert.Equal("600", template.Get("documents-inbox-ingest-queue").Text("visibilityTimeoutSeconds"));
        Assert.Equal("100", template.Get("documents-inbox-ingest-function").Text("timeout"));
    }

    [Fact]
    public void A_batch_above_10_without_a_batching_window_is_refused_and_accepted_with_one()
    {
        var problem = Assert.Single(Refused(("batchSize", 100)));
        Assert.Equal($"{Key}[0].batchSize", problem.Key);
        Assert.Contains("needs a batching window", problem.Problem);
        Assert.Contains("batchingWindowSeconds", problem.Fix);

        var template = IngestionStacks.Template(c => IngestionStacks.Pipeline(c, 0, ("batchSize", 100), ("batchingWindowSeconds", 5)));
        var mapping = template.Get("documents-inbox-ingest-mapping");
        Assert.Equal("100", mapping.Text("batchSize"));
        Assert.Equal("5", mapping.Text("maximumBatchingWindowInSeconds"));
    }

    [Fact]
    public void A_dead_letter_queue_keeping_messages_no_longer_than_the_queue_is_refused()
    {
        var problem = Assert.Single(Refused(("retentionDays", 7), ("deadLetterRetentionDays", 7)));
        Assert.Equal($"{Key}[0].deadLetterRetentionDays", problem.Key);
        Assert.Contains("not longer than the queue's 7", problem.Problem);
        Assert.Contains("original enqueue time", problem.Problem);
    }

    [Fact]
    public void Overlapping_filters_on_one_bucket_are_refused_and_distinct_ones_share_one_notification()
    {
        var problems = Problems(c =>
        {
            c["platform:services"] = IngestionStacks.Services;
            IngestionStacks.Pipeline(c, 0, ("name", "all"), ("prefix", "incoming/"));
            IngestionStacks.Pipeline(c, 1, ("name", "csv"), ("prefix", "incoming/csv/"), ("suffix", ".csv"), ("processedPrefix", "done/"));
        });
        var overlap = Assert.Single(problems, p => p.Problem.Contains("overlapping keys", StringComparison.Ordinal));
        Assert.Contains("'all' (prefix 'incoming/') and 'csv' (prefix 'incoming/csv/', suffix '.csv')", overlap.Problem);
        Assert.Contains("which S3 refuses", overlap.Problem);

        var template = IngestionStacks.Template(c =>
        {
            IngestionStacks.Pipeline(c, 0, ("name", "csv"), ("prefix", "incoming/"), ("suffix", ".csv"), ("processedPrefix", "done-csv/"));
            IngestionStacks.Pipeline(c, 1, ("name", "pdf"), ("prefix", "incoming/"), ("suffix", ".pdf"), ("processedPrefix", "done-pdf/"));
        });
        var notification = Assert.Single(template.OfType<Aws.S3.BucketNotification>());
        Assert.Equal("documents-inbox-notifications", notification.LogicalName);
        Assert.Equal("${documents-csv-queue.arn}", notification.Text("queues[0].queueArn"));
        Assert.Equal("${documents-pdf-queue.arn}", notification.Text("queues[1].queueArn"));
        Assert.Equal(".pdf", notification.Text("queues[1].filterSuffix"));
    }

    [Fact]
    public void Processed_copies_inside_an_inbox_are_refused()
    {
        var own = Assert.Single(Refused(("prefix", "incoming/"), ("processedPrefix", "incoming/done/")));
        Assert.Equal($"{Key}[0].processedPrefix", own.Key);
        Assert.Contains("would be ingested again", own.Problem);

        var problems = Problems(c =>
        {
            c["platform:services"] = IngestionStacks.Services;
            IngestionStacks.Pipeline(c, 0, ("name", "first"), ("prefix", "a/"), ("processedPrefix", "b/"));
            IngestionStacks.Pipeline(c, 1, ("name", "second"), ("prefix", "b/"), ("processedPrefix", "c/"));
        });
        var loop = Assert.Single(problems);
        Assert.Equal($"{Key}[0].processedPrefix", loop.Key);
        Assert.Contains("inside the inbox of pipeline 'second'", loop.Problem);
    }

    [Fact]
    public void A_pipeline_must_name_a_transient_store_of_its_service()
    {
        var unknown = Assert.Single(Refused(("store", "outbox")));
        Assert.Equal($"{Key}[0].store", unknown.Key);
        Assert.Contains("has no store named 'outbox'", unknown.Problem);
        Assert.Contains(".store' inbox", unknown.Fix);

        var site = Assert.Single(RefusedServices("""{"documents":{"dataClassification":"public","stores":[{"kind":"staticSite"}],"ingestion":[{"store":"site"}]}}"""));
        Assert.Equal($"{Key}[0].store", site.Key);
        Assert.Contains("store 'site' is a staticSite; only a transientStore", site.Problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_the_stack_and_nothing_is_generated()
    {
        var result = Compile(Config(c =>
        {
            c["platform:services"] = IngestionStacks.Services;
            IngestionStacks.Pipeline(c, 0, ("prefix", "incoming"), ("batchSize", 50), ("timeoutSeconds", 60), ("visibilityTimeoutSeconds", 60),
                ("deadLetterRetentionDays", 2), ("retentionDays", 4), ("maximumConcurrency", 1), ("bogus", true));
        }), "dev");
        Assert.False(result.Succeeded);
        Assert.Null(result.Text);
        Assert.Equal(
            [$"{Key}[0].batchSize", $"{Key}[0].bogus", $"{Key}[0].deadLetterRetentionDays", $"{Key}[0].maximumConcurrency", $"{Key}[0].prefix", $"{Key}[0].visibilityTimeoutSeconds"],
            result.Error!.Problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("stack 'dev' has 6 configuration problems", result.Error.Message);
        Assert.All(result.Error.Problems, p => Assert.DoesNotContain("{stack}", p.Format("dev"), StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_pipelines_are_reported_together_with_an_invalid_one()
    {
        var problems = Problems(c =>
        {
            c["platform:services"] = IngestionStacks.Services;
            IngestionStacks.Pipeline(c, 0, ("name", "first"));
            IngestionStacks.Pipeline(c, 1, ("name", "second"), ("processedPrefix", "done/"));
            IngestionStacks.Pipeline(c, 2, ("name", "third"), ("store", "outbox"));
        });
        Assert.Equal([$"{Key}[0].prefix", $"{Key}[2].store"], problems.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("name", "app", "already names the service's container")]
    [InlineData("name", "inbox", "already names a store")]
    [InlineData("name", "Bad_Name", "not a valid pipeline name")]
    [InlineData("processedPrefix", "/processed/", "not a key prefix")]
    [InlineData("memoryMb", 128, "out of range: must be from 256")]
    public void Names_prefixes_and_sizes_are_checked(string field, object value, string expected)
    {
        var problem = Assert.Single(Refused((field, value)));
        Assert.Equal($"{Key}[0].{field}", problem.Key);
        Assert.Contains(expected, problem.Problem);
    }
}
