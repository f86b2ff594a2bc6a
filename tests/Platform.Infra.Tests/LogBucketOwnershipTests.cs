using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>The log bucket keeps ACLs only when CloudFront standard logging needs them (S3.12 everywhere else).</summary>
public class LogBucketOwnershipTests
{
    [Fact]
    public void Without_a_static_site_the_log_bucket_has_acls_disabled_and_no_acl()
    {
        var template = TestStacks.Template(c => c["platform:services"] =
            """{"documents":{"dataClassification":"confidential","stores":[{"kind":"transientStore","name":"inbox"}]}}""");
        Assert.Equal("BucketOwnerEnforced", template.Get("logs-access-ownership").Text("rule.objectOwnership"));
        Assert.Null(template.Find("logs-access-acl"));
    }

    [Fact]
    public void With_a_static_site_the_log_bucket_accepts_cloudfront_log_delivery_through_its_acl()
    {
        var template = TestStacks.Template(c => c["platform:services"] =
            """{"web":{"dataClassification":"public","stores":[{"kind":"staticSite"}]}}""");
        Assert.Equal("BucketOwnerPreferred", template.Get("logs-access-ownership").Text("rule.objectOwnership"));
        Assert.NotNull(template.Find("logs-access-acl"));
    }
}
