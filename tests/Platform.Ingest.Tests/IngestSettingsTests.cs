namespace Platform.Ingest.Tests;

public class IngestSettingsTests
{
    private static IngestSettings From(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return IngestSettings.FromEnvironment(environment.GetValueOrDefault);
    }

    [Fact]
    public void Only_the_bucket_is_required_and_the_rest_has_defaults()
    {
        Assert.Equal(new IngestSettings("platform-dev-documents-inbox", "incoming/", "processed/", 10 * 1024 * 1024, TimeSpan.FromHours(48)), From(("DOCUMENTS_BUCKET", "platform-dev-documents-inbox")));
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var settings = From(("DOCUMENTS_BUCKET", "docs.example"), ("INBOX_PREFIX", "in/"), ("PROCESSED_PREFIX", "done/2026/"), ("MAX_DOCUMENT_BYTES", "2048"), ("MAX_DOCUMENT_AGE_HOURS", "24"));
        Assert.Equal(new IngestSettings("docs.example", "in/", "done/2026/", 2048, TimeSpan.FromHours(24)), settings);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_the_variable_and_the_fix()
    {
        var error = Assert.Throws<IngestConfigurationException>(() => From(("INBOX_PREFIX", "/incoming"), ("PROCESSED_PREFIX", "done"), ("MAX_DOCUMENT_BYTES", "10MB"), ("MAX_DOCUMENT_AGE_HOURS", "2d")));

        Assert.Equal(5, error.Problems.Count);
        Assert.StartsWith("the ingestion function has 5 configuration problems (fix the function's environment variables):", error.Message);
        Assert.Contains("DOCUMENTS_BUCKET is not set: set it to the name of the bucket", error.Message);
        Assert.Contains("INBOX_PREFIX '/incoming' must be a key prefix ending in one '/' and not starting with one, such as 'incoming/'", error.Message);
        Assert.Contains("PROCESSED_PREFIX 'done' must be a key prefix", error.Message);
        Assert.Contains("MAX_DOCUMENT_BYTES '10MB' must be a whole number of bytes from 1 to 104857600", error.Message);
        Assert.Contains("MAX_DOCUMENT_AGE_HOURS '2d' must be a whole number of hours from 1 to 720 (default 48)", error.Message);
    }

    [Theory]
    [InlineData("docs/", "docs/processed/")]
    [InlineData("docs/", "docs/")]
    [InlineData("a/b/", "a/")]
    public void Overlapping_prefixes_are_refused_because_processed_copies_would_be_ingested_again(string inbox, string processed)
    {
        var error = Assert.Throws<IngestConfigurationException>(() => From(("DOCUMENTS_BUCKET", "docs"), ("INBOX_PREFIX", inbox), ("PROCESSED_PREFIX", processed)));
        Assert.Contains("overlap: processed copies would land in the inbox", Assert.Single(error.Problems));
    }

    [Theory]
    [InlineData("Docs")]
    [InlineData("ab")]
    [InlineData("arn:aws:s3:::docs")]
    public void A_bucket_variable_that_is_not_a_bucket_name_is_refused(string bucket)
    {
        var error = Assert.Throws<IngestConfigurationException>(() => From(("DOCUMENTS_BUCKET", bucket)));
        Assert.Contains($"DOCUMENTS_BUCKET '{bucket}' is not an S3 bucket name", Assert.Single(error.Problems));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("104857601")]
    [InlineData("-5")]
    public void A_size_limit_outside_its_range_is_refused(string max)
    {
        var error = Assert.Throws<IngestConfigurationException>(() => From(("DOCUMENTS_BUCKET", "docs"), ("MAX_DOCUMENT_BYTES", max)));
        Assert.StartsWith($"MAX_DOCUMENT_BYTES '{max}'", Assert.Single(error.Problems));
    }
}
