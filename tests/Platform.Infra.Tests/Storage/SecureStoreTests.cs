using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

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
