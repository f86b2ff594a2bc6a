using Platform.Infra.Components.Storage;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

public class StaticSiteTests
{
    [Fact]
    public void The_bucket_policy_lets_only_this_distribution_read_objects()
    {
        var template = StorageStacks.Template(c => c["platform:services"] = """
            {"web-a":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},
             "web-b":{"dataClassification":"public","stores":[{"kind":"staticSite"}]}}
            """);
        foreach (var service in new[] { "web-a", "web-b" })
        {
            var statements = StorageStacks.PolicyOf(template, $"{service}-site-policy");
            var allows = statements.Where(s => s.GetProperty("Effect").GetString() == "Allow").ToList();
            var read = Assert.Single(allows);
            Assert.Equal(["cloudfront.amazonaws.com"], StorageStacks.Strings(read.GetProperty("Principal").GetProperty("Service")));
            Assert.Equal(["s3:GetObject"], StorageStacks.Strings(read.GetProperty("Action")));
            Assert.Equal([$"arn:aws:s3:::{service}-site-bucket/*"], StorageStacks.Strings(read.GetProperty("Resource")));
            var condition = read.GetProperty("Condition");
            Assert.Equal(["StringEquals"], condition.EnumerateObject().Select(p => p.Name));
            Assert.Equal([$"arn:aws:cloudfront::111111111111:distribution/{service}-site-cdn"], StorageStacks.Strings(condition.GetProperty("StringEquals").GetProperty("AWS:SourceArn")));
        }
    }

    [Fact]
    public void The_distribution_waits_for_the_log_bucket_to_accept_acl_based_log_delivery()
    {
        // CloudFront refuses a log bucket whose ACLs are not enabled yet; the bucket's domain name alone does not order it.
        var cdn = StorageStacks.Template().Get("web-a-site-cdn");
        Assert.Equal(["logs-access-ownership", "logs-access-acl"], cdn.Options.DependsOn!.Select(r => r.LogicalName));
    }

    [Fact]
    public void The_distribution_reaches_the_private_bucket_through_an_origin_access_control_not_website_hosting_or_an_oai()
    {
        var template = StorageStacks.Template();
        var oac = template.Get("web-a-site-oac");
        Assert.Equal("s3", oac.Text("originAccessControlOriginType"));
        Assert.Equal("always", oac.Text("signingBehavior"));
        Assert.Equal("sigv4", oac.Text("signingProtocol"));
        var cdn = template.Get("web-a-site-cdn");
        Assert.Equal("${web-a-site-oac.id}", cdn.Text("origins[0].originAccessControlId"));
        Assert.Equal("${web-a-site-bucket.bucketRegionalDomainName}", cdn.Text("origins[0].domainName"));
        Assert.Null(cdn.Prop("origins[0].s3OriginConfig"));
        Assert.Null(cdn.Prop("origins[0].customOriginConfig"));
        Assert.Null(cdn.Prop("origins[1]"));
        Assert.Null(template.Get("web-a-site-bucket").Prop("website"));
    }

    [Fact]
    public void The_distribution_serves_the_spa_over_https_with_security_headers_compression_http3_and_ipv6()
    {
        var template = StorageStacks.Template();
        var cdn = template.Get("web-a-site-cdn");
        Assert.Equal("true", cdn.Text("enabled"));
        Assert.Equal("index.html", cdn.Text("defaultRootObject"));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(i == 0 ? "403" : "404", cdn.Text($"customErrorResponses[{i}].errorCode"));
            Assert.Equal("200", cdn.Text($"customErrorResponses[{i}].responseCode"));
            Assert.Equal("/index.html", cdn.Text($"customErrorResponses[{i}].responsePagePath"));
        }
        Assert.Null(cdn.Prop("customErrorResponses[2]"));
        Assert.Equal("redirect-to-https", cdn.Text("defaultCacheBehavior.viewerProtocolPolicy"));
        Assert.Equal(StaticSite.CachingOptimizedPolicyId, cdn.Text("defaultCacheBehavior.cachePolicyId"));
        Assert.Equal("${web-a-site-headers.id}", cdn.Text("defaultCacheBehavior.responseHeadersPolicyId"));
        Assert.Equal("true", cdn.Text("defaultCacheBehavior.compress"));
        Assert.Equal("s3-origin", cdn.Text("defaultCacheBehavior.targetOriginId"));
        Assert.Null(cdn.Prop("defaultCacheBehavior.forwardedValues"));
        Assert.Equal("http2and3", cdn.Text("httpVersion"));
        Assert.Equal("true", cdn.Text("isIpv6Enabled"));
        Assert.Equal("PriceClass_100", cdn.Text("priceClass"));
        Assert.Equal("true", cdn.Text("viewerCertificate.cloudfrontDefaultCertificate"));
        Assert.Null(cdn.Prop("aliases"));
        Assert.Equal("${waf-edge.arn}", cdn.Text("webAclId")); // the stack's CloudFront-scoped web ACL (platform:waf)
        Assert.Equal("${logs-access-bucket.bucketDomainName}", cdn.Text("loggingConfig.bucket"));
        Assert.Equal("cloudfront/web-a-site/", cdn.Text("loggingConfig.prefix"));

        var headers = template.Get("web-a-site-headers");
        Assert.Equal("63072000", headers.Text("securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec"));
        Assert.Equal("true", headers.Text("securityHeadersConfig.strictTransportSecurity.includeSubdomains"));
        Assert.Equal("true", headers.Text("securityHeadersConfig.contentTypeOptions.override"));
        Assert.Equal("DENY", headers.Text("securityHeadersConfig.frameOptions.frameOption"));
        Assert.Equal("strict-origin-when-cross-origin", headers.Text("securityHeadersConfig.referrerPolicy.referrerPolicy"));
    }

    [Fact]
    public void Custom_domains_use_the_acm_certificate_with_sni_and_tls_1_2_2021_and_the_waf_acl()
    {
        const string cert = "arn:aws:acm:us-east-1:111111111111:certificate/abc-123";
        const string waf = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/site/0123-abcd";
        var cdn = StorageStacks.Template(c =>
        {
            StorageStacks.Store(c, "web-a", 0, "aliases", new[] { "app.example.com" });
            StorageStacks.Store(c, "web-a", 0, "certificateArn", cert);
            StorageStacks.Store(c, "web-a", 0, "webAclArn", waf);
            StorageStacks.Store(c, "web-a", 0, "priceClass", "PriceClass_All");
        }).Get("web-a-site-cdn");
        Assert.Equal("app.example.com", cdn.Text("aliases[0]"));
        Assert.Equal(cert, cdn.Text("viewerCertificate.acmCertificateArn"));
        Assert.Equal("sni-only", cdn.Text("viewerCertificate.sslSupportMethod"));
        Assert.Equal("TLSv1.2_2021", cdn.Text("viewerCertificate.minimumProtocolVersion"));
        Assert.Null(cdn.Prop("viewerCertificate.cloudfrontDefaultCertificate"));
        Assert.Equal(waf, cdn.Text("webAclId"));
        Assert.Equal("PriceClass_All", cdn.Text("priceClass"));
    }

    [Fact]
    public void The_origin_bucket_is_versioned_sse_s3_and_expires_replaced_files()
    {
        var template = StorageStacks.Template();
        Assert.Equal("Enabled", template.Get("web-a-site-versioning").Text("versioningConfiguration.status"));
        Assert.Equal("AES256", template.Get("web-a-site-encryption").Text("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"));
        var lifecycle = template.Get("web-a-site-lifecycle");
        Assert.Equal("30", lifecycle.Text("rules[0].noncurrentVersionExpiration.noncurrentDays"));
        Assert.Null(lifecycle.Prop("rules[0].expiration"));
        Assert.Equal("7", lifecycle.Text("rules[1].abortIncompleteMultipartUpload.daysAfterInitiation"));
        Assert.Contains(lifecycle.Options.DependsOn!, r => r.LogicalName == "web-a-site-versioning");
    }
}
