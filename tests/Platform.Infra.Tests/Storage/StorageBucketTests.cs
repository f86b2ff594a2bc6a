using System.Text.Json;
using Platform.Infra.Aws.S3;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

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
