using System.Text.Json;
using Moq;
using Platform.Infra.Aws.S3;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

/// <summary>Shared stack configs and evaluation helpers of the storage tests.</summary>
public static class StorageStacks
{
    public const string Services = """
        {"web-a":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},
         "signatures":{"dataClassification":"restricted","stores":[{"kind":"secureStore","name":"images"}]},
         "documents":{"dataClassification":"confidential","stores":[{"kind":"transientStore","name":"inbox"}]}}
        """;

    public static Template Template(Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c["platform:services"] = Services;
        change?.Invoke(c);
    });

    /// <summary>Changes one field of a store: Store(c, "web-a", 0, "aliases", new[] {...}).</summary>
    public static void Store(Dictionary<string, string> config, string service, int index, string field, object? value)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(config.GetValueOrDefault("platform:services") ?? Services)!.AsObject();
        var store = root[service]!["stores"]![index]!.AsObject();
        if (value is null) store.Remove(field);
        else store[field] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(value));
        config["platform:services"] = root.ToJsonString();
    }

    /// <summary>Fake outputs of deployed resources, shaped like the real ARNs.</summary>
    public static Evaluator Evaluator(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:s3/bucket:Bucket", "arn") => $"arn:aws:s3:::{name}",
            ("aws:s3/bucket:Bucket", "id" or "bucket") => name,
            ("aws:cloudfront/distribution:Distribution", "arn") => $"arn:aws:cloudfront::111111111111:distribution/{name}",
            ("aws:kms/key:Key", "arn") => $"arn:aws:kms:eu-west-1:111111111111:key/{name}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }

    public static IReadOnlyList<JsonElement> Statements(Evaluator evaluator, IEnumerable<PolicyStatement> statements) =>
        evaluator.Json(FunctionValue.ToJson(new PolicyDocument(statements.ToArray()).ToValue())).GetProperty("Statement").EnumerateArray().ToList();

    public static IReadOnlyList<JsonElement> PolicyOf(Template template, string resource) =>
        StorageStacks.Evaluator(template).Json(template.Get(resource).Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();

    public static string[] Strings(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [e.GetString()!];

    public static JsonElement Sid(IEnumerable<JsonElement> statements, string sid) => Assert.Single(statements, s => s.TryGetProperty("Sid", out var v) && v.GetString() == sid);
}

public class StorageBucketTests
{
    private static readonly string[] Buckets = ["web-a-site", "signatures-images", "documents-inbox", "logs-access"];

    [Fact]
    public void Every_bucket_blocks_all_public_access()
    {
        var template = StorageStacks.Template();
        Assert.Equal(Buckets.Length, template.OfType<Bucket>().Count());
        foreach (var bucket in Buckets)
        {
            var block = template.Get($"{bucket}-public-access");
            Assert.Equal($"${{{bucket}-bucket.id}}", block.Text("bucket"));
            foreach (var flag in new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" })
                Assert.Equal("true", block.Text(flag));
        }
    }

    [Fact]
    public void Every_bucket_denies_requests_without_tls_on_the_bucket_and_its_objects_and_allows_nobody_anonymously()
    {
        var template = StorageStacks.Template();
        foreach (var bucket in Buckets)
        {
            var statements = StorageStacks.PolicyOf(template, $"{bucket}-policy");
            var tls = StorageStacks.Sid(statements, "DenyInsecureTransport");
            Assert.Equal("Deny", tls.GetProperty("Effect").GetString());
            Assert.Equal("*", tls.GetProperty("Principal").GetString());
            Assert.Equal(["s3:*"], StorageStacks.Strings(tls.GetProperty("Action")));
            Assert.Equal([$"arn:aws:s3:::{bucket}-bucket", $"arn:aws:s3:::{bucket}-bucket/*"], StorageStacks.Strings(tls.GetProperty("Resource")));
            Assert.Equal(["false"], StorageStacks.Strings(tls.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport")));
            // No statement allows "*": every Allow names a service principal.
            Assert.All(statements.Where(s => s.GetProperty("Effect").GetString() == "Allow"),
                s => Assert.Equal(JsonValueKind.Object, s.GetProperty("Principal").ValueKind));
            Assert.Contains(template.Get($"{bucket}-policy").Options.DependsOn!, r => r.LogicalName == $"{bucket}-public-access");
        }
    }

    [Fact]
    public void Stores_enforce_bucket_ownership_and_only_the_log_bucket_keeps_acls_for_cloudfront_logs()
    {
        var template = StorageStacks.Template();
        foreach (var bucket in Buckets.SkipLast(1))
            Assert.Equal("BucketOwnerEnforced", template.Get($"{bucket}-ownership").Text("rule.objectOwnership"));
        Assert.Equal("BucketOwnerPreferred", template.Get("logs-access-ownership").Text("rule.objectOwnership"));
        Assert.Equal(["logs-access-acl"], template.OfType<BucketAcl>().Select(a => a.LogicalName));
    }

    [Fact]
    public void Stores_log_to_the_log_bucket_under_their_own_prefix_and_the_log_bucket_does_not_log_to_itself()
    {
        var template = StorageStacks.Template();
        foreach (var bucket in Buckets.SkipLast(1))
        {
            var logging = template.Get($"{bucket}-access-logging");
            Assert.Equal("${logs-access-bucket.bucket}", logging.Text("targetBucket"));
            Assert.Equal($"s3/platform-test-{bucket}-111111111111/", logging.Text("targetPrefix"));
            // S3 tests delivery when logging is turned on: the log bucket's policy must admit it first.
            Assert.Contains(logging.Options.DependsOn!, r => r.LogicalName == "logs-access-policy");
        }
        Assert.Null(template.Find("logs-access-access-logging"));
    }

    [Fact]
    public void Bucket_names_are_project_stack_service_store_and_account()
    {
        var template = StorageStacks.Template();
        Assert.Equal("platform-test-web-a-site-111111111111", template.Get("web-a-site-bucket").Text("bucket"));
        Assert.Equal("platform-test-signatures-images-111111111111", template.Get("signatures-images-bucket").Text("bucket"));
        Assert.Equal("platform-test-documents-inbox-111111111111", template.Get("documents-inbox-bucket").Text("bucket"));
        Assert.Equal("platform-test-logs-111111111111", template.Get("logs-access-bucket").Text("bucket"));
    }

    [Fact]
    public void Each_service_tags_its_resources_with_service_and_data_classification()
    {
        var template = StorageStacks.Template();
        var bucket = template.Get("signatures-images-bucket");
        Assert.Equal("signatures", bucket.Text("tags.Service"));
        Assert.Equal("restricted", bucket.Text("tags.DataClassification"));
        Assert.Equal("platform-test-signatures-images-bucket", bucket.Text("tags.Name"));
        Assert.Equal("public", template.Get("web-a-site-cdn").Text("tags.DataClassification"));
        Assert.Equal("confidential", template.Get("documents-inbox-bucket").Text("tags.DataClassification"));
        Assert.Null(template.Get("logs-access-bucket").Text("tags.Service"));
    }

    [Fact]
    public void The_log_bucket_uses_sse_s3_expires_logs_per_stage_and_admits_only_this_accounts_access_logs_and_cloudfront()
    {
        var template = StorageStacks.Template(c => Set(c, "platform:profile", "logRetentionDays", 90));
        Assert.Equal("AES256", template.Get("logs-access-encryption").Text("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"));
        Assert.Equal("90", template.Get("logs-access-lifecycle").Text("rules[0].expiration.days"));
        Assert.Null(template.Find("logs-access-versioning"));

        var statements = StorageStacks.PolicyOf(template, "logs-access-policy");
        var delivery = StorageStacks.Sid(statements, "AllowS3ServerAccessLogs");
        Assert.Equal(["logging.s3.amazonaws.com"], StorageStacks.Strings(delivery.GetProperty("Principal").GetProperty("Service")));
        Assert.Equal(["s3:PutObject"], StorageStacks.Strings(delivery.GetProperty("Action")));
        Assert.Equal(["arn:aws:s3:::logs-access-bucket/s3/*"], StorageStacks.Strings(delivery.GetProperty("Resource")));
        Assert.Equal(["111111111111"], StorageStacks.Strings(delivery.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")));
        Assert.Equal(2, statements.Count);

        var acl = template.Get("logs-access-acl");
        Assert.Equal("${canonical-user-id}", acl.Text("accessControlPolicy.owner.id"));
        Assert.Equal(LogBucket.CloudFrontLogDeliveryCanonicalId, acl.Text("accessControlPolicy.grants[1].grantee.id"));
        Assert.Equal("FULL_CONTROL", acl.Text("accessControlPolicy.grants[1].permission"));
        Assert.Null(acl.Text("acl"));
    }

    [Fact]
    public void Protected_stages_protect_and_retain_the_secure_store_its_key_and_the_logs_and_never_force_destroy()
    {
        var template = StorageStacks.Template(c => c["platform:profile"] = """{"protect":true,"disposableData":false,"logRetentionDays":365}""");
        foreach (var name in new[] { "signatures-images-bucket", "signatures-images-key", "logs-access-bucket" })
        {
            Assert.True(template.Get(name).Options.Protect);
            Assert.True(template.Get(name).Options.RetainOnDelete);
        }
        Assert.All(template.OfType<Bucket>(), b => Assert.Equal("false", b.Text("forceDestroy")));
    }

    [Fact]
    public void Only_stages_with_disposable_data_force_destroy_buckets_and_unprotected_stages_protect_nothing()
    {
        var dev = StorageStacks.Template();
        Assert.All(dev.OfType<Bucket>(), b => Assert.Equal("true", b.Text("forceDestroy")));
        Assert.All(dev.Resources, r => Assert.Null(r.Options.Protect));
        var stage = StorageStacks.Template(c => Set(c, "platform:profile", "disposableData", false));
        Assert.All(stage.OfType<Bucket>(), b => Assert.Equal("false", b.Text("forceDestroy")));
    }

    [Fact]
    public void Stack_outputs_give_bucket_names_and_arns_and_distribution_ids_and_domains_per_service()
    {
        var outputs = StorageStacks.Template().Outputs;
        Assert.Equal(new ReferenceValue("web-a-site-bucket", "bucket"), outputs[StackOutputs.BucketName("web-a", "site")]);
        Assert.Equal(new ReferenceValue("web-a-site-cdn", "id"), outputs[StackOutputs.DistributionId("web-a", "site")]);
        Assert.Equal(new ReferenceValue("web-a-site-cdn", "domainName"), outputs[StackOutputs.DomainName("web-a", "site")]);
        Assert.Equal(new ReferenceValue("documents-inbox-bucket", "bucket"), outputs[StackOutputs.BucketName("documents", "inbox")]);
        Assert.Equal(new ReferenceValue("documents-inbox-bucket", "arn"), outputs[StackOutputs.BucketArn("documents", "inbox")]);
        Assert.Equal(new ReferenceValue("signatures-images-bucket", "bucket"), outputs[StackOutputs.BucketName("signatures", "images")]);
        Assert.Equal(new ReferenceValue("logs-access-bucket", "bucket"), outputs[StackOutputs.LogBucketName]);
        Assert.DoesNotContain(StackOutputs.DistributionId("signatures", "images"), outputs.Keys);
    }

    [Fact]
    public void A_stack_without_services_has_no_storage()
    {
        var template = TestStacks.Template();
        Assert.Empty(template.OfType<Bucket>());
    }
}

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
        Assert.Null(cdn.Prop("webAclId"));
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

public class SecureStoreTests
{
    [Fact]
    public void The_bucket_is_encrypted_with_its_own_customer_managed_key_and_a_bucket_key()
    {
        var template = StorageStacks.Template();
        var rule = "rules[0]";
        var encryption = template.Get("signatures-images-encryption");
        Assert.Equal("aws:kms", encryption.Text($"{rule}.applyServerSideEncryptionByDefault.sseAlgorithm"));
        Assert.Equal("${signatures-images-key.arn}", encryption.Text($"{rule}.applyServerSideEncryptionByDefault.kmsMasterKeyId"));
        Assert.Equal("true", encryption.Text($"{rule}.bucketKeyEnabled"));
        Assert.Equal("Enabled", template.Get("signatures-images-versioning").Text("versioningConfiguration.status"));

        var key = template.Get("signatures-images-key");
        Assert.Equal("true", key.Text("enableKeyRotation"));
        Assert.Equal("30", key.Text("deletionWindowInDays"));
        Assert.Null(key.Prop("bypassPolicyLockoutSafetyCheck"));
        var alias = template.Get("signatures-images-key-alias");
        Assert.Equal("alias/platform-test-signatures-images-key", alias.Text("name"));
        Assert.Equal("${signatures-images-key.keyId}", alias.Text("targetKeyId"));
    }

    [Fact]
    public void The_key_policy_lets_the_account_administer_the_key_but_use_it_only_through_s3()
    {
        var template = StorageStacks.Template();
        var statements = StorageStacks.PolicyOf(template, "signatures-images-key");
        Assert.Equal(2, statements.Count);
        Assert.All(statements, s => Assert.Equal("arn:aws:iam::111111111111:root", s.GetProperty("Principal").GetProperty("AWS").GetString()));
        var admin = StorageStacks.Sid(statements, "AccountAdministersKey");
        Assert.DoesNotContain(StorageStacks.Strings(admin.GetProperty("Action")), a => a is "kms:*" or "kms:Decrypt" or "kms:Encrypt" || a.StartsWith("kms:GenerateDataKey", StringComparison.Ordinal) || a.StartsWith("kms:ReEncrypt", StringComparison.Ordinal));
        var use = StorageStacks.Sid(statements, "AccountUsesKeyThroughS3");
        Assert.Equal(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], StorageStacks.Strings(use.GetProperty("Action")));
        var equals = use.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], StorageStacks.Strings(equals.GetProperty("kms:ViaService")));
        Assert.Equal(["111111111111"], StorageStacks.Strings(equals.GetProperty("kms:CallerAccount")));
    }

    private const string Images = "arn:aws:s3:::signatures-images-bucket/photo.png";
    private const string ImagesKey = "arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key";

    private static PolicyDecision Upload(params (string, string)[] headers) => PolicySimulator.Decide(
        StorageStacks.PolicyOf(StorageStacks.Template(), "signatures-images-policy"),
        PolicyRequest.Of("s3:PutObject", Images, [("aws:SecureTransport", "true"), .. headers]));

    [Fact]
    public void The_policy_accepts_a_put_relying_on_default_encryption_and_a_multipart_upload_part()
    {
        // PutObject without encryption headers (the SDKs' default) and UploadPart (authorised as s3:PutObject,
        // never carrying encryption headers) are encrypted by the bucket's default with the store's key.
        Assert.NotEqual(PolicyDecision.ExplicitDeny, Upload());
    }

    [Fact]
    public void The_policy_accepts_a_put_naming_the_stores_key()
    {
        Assert.NotEqual(PolicyDecision.ExplicitDeny, Upload(
            ("s3:x-amz-server-side-encryption", "aws:kms"), ("s3:x-amz-server-side-encryption-aws-kms-key-id", ImagesKey)));
        Assert.NotEqual(PolicyDecision.ExplicitDeny, Upload(("s3:x-amz-server-side-encryption", "aws:kms")));
    }

    [Theory]
    [InlineData("s3:x-amz-server-side-encryption", "AES256")]
    [InlineData("s3:x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-1:111111111111:key/another-key")]
    [InlineData("s3:x-amz-server-side-encryption-customer-algorithm", "AES256")]
    public void The_policy_refuses_a_put_asking_for_another_encryption_or_key(string header, string value)
    {
        Assert.Equal(PolicyDecision.ExplicitDeny, Upload((header, value)));
    }

    [Fact]
    public void The_policy_refuses_requests_without_tls()
    {
        var statements = StorageStacks.PolicyOf(StorageStacks.Template(), "signatures-images-policy");
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(statements, PolicyRequest.Of("s3:GetObject", Images, ("aws:SecureTransport", "false"))));
    }

    [Fact]
    public void Lifecycle_archives_current_objects_after_180_days_and_noncurrent_after_30_then_deletes_them_after_365()
    {
        var lifecycle = StorageStacks.Template().Get("signatures-images-lifecycle");
        Assert.Equal("archive-180-days-after-upload", lifecycle.Text("rules[0].id"));
        Assert.Equal("180", lifecycle.Text("rules[0].transitions[0].days"));
        Assert.Equal("GLACIER", lifecycle.Text("rules[0].transitions[0].storageClass"));
        Assert.Null(lifecycle.Prop("rules[0].expiration.days"));
        Assert.Equal("30", lifecycle.Text("rules[0].noncurrentVersionTransitions[0].noncurrentDays"));
        Assert.Equal("GLACIER", lifecycle.Text("rules[0].noncurrentVersionTransitions[0].storageClass"));
        Assert.Equal("365", lifecycle.Text("rules[0].noncurrentVersionExpiration.noncurrentDays"));
        Assert.Equal("7", lifecycle.Text("rules[1].abortIncompleteMultipartUpload.daysAfterInitiation"));
    }

    [Fact]
    public void Objects_smaller_than_128_kib_are_archived_too()
    {
        // S3's default (all_storage_classes_128K) would keep small signature images out of Glacier for ever.
        var lifecycle = StorageStacks.Template().Get("signatures-images-lifecycle");
        Assert.Equal("varies_by_storage_class", lifecycle.Text("transitionDefaultMinimumObjectSize"));
    }

    [Fact]
    public void The_archival_rule_is_configurable()
    {
        var lifecycle = StorageStacks.Template(c =>
        {
            StorageStacks.Store(c, "signatures", 0, "archiveAfterDays", 90);
            StorageStacks.Store(c, "signatures", 0, "expireAfterDays", 2555);
        }).Get("signatures-images-lifecycle");
        Assert.Equal("90", lifecycle.Text("rules[0].transitions[0].days"));
        Assert.Equal("2555", lifecycle.Text("rules[0].expiration.days"));
    }
}

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

public class StoreGrantTests
{
    private static (Template Template, StackStorage Storage) Compile()
    {
        var settings = StackSettings.Load(Project, "test", TestStacksWithServices());
        var fresh = new Template();
        var storage = StackStorage.Create(new StackContext(Project, "test", fresh), settings);
        return (fresh, storage);
    }

    private static Dictionary<string, string> TestStacksWithServices() => Config(c => c["platform:services"] = StorageStacks.Services);

    private static IReadOnlyList<JsonElement> Grant(Func<IStore, IReadOnlyList<PolicyStatement>> grant, string service)
    {
        var (template, storage) = Compile();
        return StorageStacks.Statements(StorageStacks.Evaluator(template), grant(Assert.Single(storage.For(service))));
    }

    private static void AssertStatement(JsonElement statement, string[] actions, string[] resources)
    {
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(actions, StorageStacks.Strings(statement.GetProperty("Action")));
        Assert.Equal(resources, StorageStacks.Strings(statement.GetProperty("Resource")));
    }

    [Fact]
    public void Read_grants_list_on_the_bucket_and_get_on_its_objects_only()
    {
        var statements = Grant(s => s.GrantRead(), "documents");
        Assert.Equal(2, statements.Count);
        AssertStatement(statements[0], ["s3:ListBucket"], ["arn:aws:s3:::documents-inbox-bucket"]);
        AssertStatement(statements[1], ["s3:GetObject", "s3:GetObjectVersion"], ["arn:aws:s3:::documents-inbox-bucket/*"]);
        Assert.All(statements, s => Assert.False(s.TryGetProperty("Condition", out _)));
    }

    [Fact]
    public void Write_grants_put_delete_and_abort_on_objects_only()
    {
        var statements = Grant(s => s.GrantWrite(), "documents");
        var write = Assert.Single(statements);
        AssertStatement(write, ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::documents-inbox-bucket/*"]);
    }

    [Fact]
    public void Read_write_grants_both_with_unique_statement_ids()
    {
        var statements = Grant(s => s.GrantReadWrite(), "web-a");
        Assert.Equal(2, statements.Count);
        AssertStatement(statements[0], ["s3:ListBucket"], ["arn:aws:s3:::web-a-site-bucket"]);
        AssertStatement(statements[1], ["s3:GetObject", "s3:GetObjectVersion", "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::web-a-site-bucket/*"]);
        Assert.Equal(["WebASiteList", "WebASiteReadWrite"], statements.Select(s => s.GetProperty("Sid").GetString()));
    }

    [Fact]
    public void Secure_store_grants_add_its_key_only_and_only_through_s3()
    {
        var read = Grant(s => s.GrantRead(), "signatures");
        Assert.Equal(3, read.Count);
        // Archived objects are read by restoring a temporary copy first.
        AssertStatement(read[1], ["s3:GetObject", "s3:GetObjectVersion", "s3:RestoreObject"], ["arn:aws:s3:::signatures-images-bucket/*"]);
        AssertStatement(read[2], ["kms:Decrypt"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], StorageStacks.Strings(read[2].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService")));

        var write = Grant(s => s.GrantWrite(), "signatures");
        Assert.Equal(2, write.Count);
        AssertStatement(write[0], ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::signatures-images-bucket/*"]);
        AssertStatement(write[1], ["kms:Decrypt", "kms:GenerateDataKey"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], StorageStacks.Strings(write[1].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService")));

        var both = Grant(s => s.GrantReadWrite(), "signatures");
        AssertStatement(both[2], ["kms:Decrypt", "kms:GenerateDataKey"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
    }

    [Theory]
    [InlineData("web-a", false)]
    [InlineData("signatures", true)]
    [InlineData("documents", true)]
    public void The_owner_of_a_static_site_only_reads_it_and_the_owner_of_any_other_store_reads_and_writes(string service, bool writes)
    {
        var (template, storage) = Compile();
        var actions = StorageStacks.Statements(StorageStacks.Evaluator(template), storage.OwnerGrants(service))
            .SelectMany(s => StorageStacks.Strings(s.GetProperty("Action"))).ToList();
        Assert.Contains("s3:GetObject", actions);
        Assert.Equal(writes, actions.Contains("s3:PutObject"));
    }

    [Fact]
    public void Stores_are_listed_per_service_with_their_kind()
    {
        var (_, storage) = Compile();
        Assert.Equal(StoreKind.StaticSite, Assert.Single(storage.For("web-a")).Kind);
        Assert.Equal(StoreKind.SecureStore, Assert.Single(storage.For("signatures")).Kind);
        Assert.Equal(StoreKind.TransientStore, Assert.Single(storage.For("documents")).Kind);
        Assert.Empty(storage.For("unknown"));
    }
}

public class ServiceSettingsTests
{
    private static IReadOnlyList<ConfigProblem> Refused(string services, string stack = "test") =>
        Problems(c => c["platform:services"] = services, stack);

    [Fact]
    public void A_bucket_name_longer_than_63_characters_is_refused_naming_service_and_key()
    {
        var problem = Assert.Single(Refused("""{"a-very-long-service":{"dataClassification":"internal","stores":[{"kind":"transientStore","name":"extremely-long-name"}]}}""", "a-long-stack-name"));
        Assert.Equal("platform:services.a-very-long-service.stores[0].name", problem.Key);
        Assert.Contains("platform-a-long-stack-name-a-very-long-service-extremely-long-name-111111111111", problem.Problem);
        Assert.Contains("characters long (3 to 63 allowed)", problem.Problem);
        var error = Compile(Config(c => c["platform:services"] = """{"a-very-long-service":{"dataClassification":"internal","stores":[{"kind":"transientStore","name":"extremely-long-name"}]}}"""), "a-long-stack-name").Error!;
        Assert.Contains("stack 'a-long-stack-name'", error.Message);
    }

    [Theory]
    [InlineData("xn--abc", "the prefix 'xn--' is reserved")]
    [InlineData("a..b", "two periods")]
    [InlineData("Upper", "only lower-case letters")]
    [InlineData("192.168.1.1", "IP address")]
    [InlineData("ab", "2 characters long")]
    [InlineData("-ab", "must start with a letter or digit")]
    [InlineData("x-s3alias", "the suffix '-s3alias' is reserved")]
    public void Bucket_name_rules(string name, string expected) =>
        Assert.Contains(BucketNames.Problems(name), p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void A_valid_bucket_name_has_no_problem() => Assert.Empty(BucketNames.Problems("platform-prod-signatures-images-333333333333"));

    [Fact]
    public void Objects_deleted_before_their_glacier_transition_are_refused()
    {
        var problem = Assert.Single(Refused("""{"sig":{"dataClassification":"restricted","stores":[{"kind":"secureStore","archiveAfterDays":180,"expireAfterDays":100}]}}"""));
        Assert.Equal("platform:services.sig.stores[0].expireAfterDays", problem.Key);
        Assert.Contains("service 'sig'", problem.Problem);
        Assert.Contains("before or when they move to Glacier after 180 days", problem.Problem);
    }

    [Fact]
    public void Objects_deleted_sooner_than_glacier_s_90_day_minimum_are_refused()
    {
        var problems = Refused("""{"sig":{"dataClassification":"restricted","stores":[{"kind":"secureStore","archiveAfterDays":180,"expireAfterDays":200,"noncurrentArchiveAfterDays":30,"noncurrentExpireAfterDays":60}]}}""");
        Assert.Equal(["platform:services.sig.stores[0].expireAfterDays", "platform:services.sig.stores[0].noncurrentExpireAfterDays"], problems.Select(p => p.Key));
        Assert.Contains("20 days, less than Glacier's 90-day minimum", problems[0].Problem);
        Assert.Contains("at least 270", problems[0].Fix);
    }

    [Fact]
    public void A_certificate_outside_us_east_1_is_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite","aliases":["app.example.com"],"certificateArn":"arn:aws:acm:eu-west-1:111111111111:certificate/abc"}]}}"""));
        Assert.Equal("platform:services.web.stores[0].certificateArn", problem.Key);
        Assert.Contains("service 'web': the certificate is in eu-west-1", problem.Problem);
        Assert.Contains("us-east-1", problem.Fix);
    }

    [Fact]
    public void Aliases_without_a_certificate_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite","aliases":["app.example.com"]}]}}"""));
        Assert.Equal("platform:services.web.stores[0].aliases", problem.Key);
        Assert.Contains("need a certificate", problem.Problem);
    }

    [Fact]
    public void An_unknown_store_kind_is_refused_with_a_suggestion()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticsite"}]}}"""));
        Assert.Equal("platform:services.web.stores[0].kind", problem.Key);
        Assert.Contains("'staticsite' is not one of staticSite, secureStore, transientStore. Did you mean 'staticSite'?", problem.Problem);
    }

    [Fact]
    public void A_service_without_a_store_is_refused()
    {
        var problems = Refused("""{"web":{"dataClassification":"public"},"api":{"dataClassification":"internal","stores":[]}}""");
        Assert.Equal(["platform:services.web.stores", "platform:services.api.stores"], problems.Select(p => p.Key));
        Assert.Contains("service 'web' has no store", problems[0].Problem);
    }

    [Fact]
    public void Duplicate_service_names_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},"web":{"dataClassification":"public","stores":[{"kind":"staticSite"}]}}"""));
        Assert.Equal("platform:services.web", problem.Key);
        Assert.Contains("declared twice", problem.Problem);
    }

    [Fact]
    public void Two_stores_of_a_service_with_the_same_name_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite"},{"kind":"staticSite"}]}}"""));
        Assert.Equal("platform:services.web.stores[1].name", problem.Key);
    }

    [Fact]
    public void Hours_are_refused_in_favour_of_days()
    {
        var problem = Assert.Single(Refused("""{"docs":{"dataClassification":"internal","stores":[{"kind":"transientStore","expireAfterHours":48}]}}"""));
        Assert.Equal("platform:services.docs.stores[0].expireAfterHours", problem.Key);
        Assert.Contains("48-72 hours", problem.Fix);
    }

    [Fact]
    public void Invalid_and_reserved_service_names_and_unknown_fields_are_refused_all_at_once()
    {
        var problems = Refused("""{"Web_A":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},"network":{"dataClassification":"secret","stores":[{"kind":"transientStore","expireDays":2}]}}""");
        Assert.Equal(["platform:services.Web_A", "platform:services.network", "platform:services.network.dataClassification", "platform:services.network.stores[0].expireDays"],
            problems.Select(p => p.Key));
        Assert.Contains("expireAfterDays", problems[3].Fix);
    }

    [Fact]
    public void Any_service_may_own_any_kind_and_several_stores()
    {
        var template = StorageStacks.Template(c => c["platform:services"] = """
            {"api":{"dataClassification":"internal","stores":[{"kind":"secureStore","name":"keys"},{"kind":"transientStore","name":"uploads"},{"kind":"staticSite","name":"docs"}]}}
            """);
        Assert.NotNull(template.Find("api-keys-key"));
        Assert.NotNull(template.Find("api-uploads-lifecycle"));
        Assert.NotNull(template.Find("api-docs-cdn"));
    }
}
