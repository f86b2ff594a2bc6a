using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

public class TransientStoreTests
{
    [Fact]
    public void Documents_expire_after_2_days_and_incomplete_uploads_after_1()
    {
        var template = StorageStacks.Template();
        var lifecycle = template.Get("documents-inbox-lifecycle");
        Assert.Equal("2", lifecycle.Text("rules[0].expiration.days"));
        Assert.Equal("Enabled", lifecycle.Text("rules[0].status"));
        Assert.Null(lifecycle.Prop("rules[0].filter.prefix"));
        Assert.Null(lifecycle.Prop("rules[0].transitions"));
        Assert.Null(lifecycle.Prop("rules[0].noncurrentVersionExpiration"));
        Assert.Equal("1", lifecycle.Text("rules[1].abortIncompleteMultipartUpload.daysAfterInitiation"));
        Assert.Null(template.Find("documents-inbox-versioning"));
        Assert.Equal("AES256", template.Get("documents-inbox-encryption").Text("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"));
        Assert.Equal(["DenyInsecureTransport"], StorageStacks.PolicyOf(template, "documents-inbox-policy").Select(s => s.GetProperty("Sid").GetString()));
    }

    [Fact]
    public void When_versioned_noncurrent_versions_expire_after_1_day()
    {
        var template = StorageStacks.Template(c => StorageStacks.Store(c, "documents", 0, "versioned", true));
        Assert.Equal("Enabled", template.Get("documents-inbox-versioning").Text("versioningConfiguration.status"));
        Assert.Equal("1", template.Get("documents-inbox-lifecycle").Text("rules[0].noncurrentVersionExpiration.noncurrentDays"));
    }
}
