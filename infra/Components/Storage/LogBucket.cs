using Platform.Infra.Aws;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>Inputs of the <see cref="LogBucket"/>.</summary>
/// <param name="BucketName">The bucket's physical name.</param>
/// <param name="ExpireAfterDays">Days logs are kept (the stage profile's log retention).</param>
/// <param name="Protect">Protect and retain the bucket (stages that protect their data).</param>
/// <param name="ForceDestroy">Delete the logs with the stack (stages with disposable data).</param>
/// <param name="Aws">The stack's account, for the log-delivery conditions.</param>
/// <param name="AlbLogs">Let ELB log delivery write ALB access logs under <c>alb/</c> (the stack has container services).</param>
/// <param name="CloudFrontLogs">Let CloudFront standard logging write under <c>cloudfront/</c>, which needs ACLs (the stack has static sites).</param>
public sealed record LogBucketArgs(string BucketName, int ExpireAfterDays, bool Protect, bool ForceDestroy, AwsSettings Aws, bool AlbLogs = false, bool CloudFrontLogs = false);

/// <summary>
/// The stack's log bucket: S3 server access logs (under <c>s3/</c>) and CloudFront standard logs (under
/// <c>cloudfront/</c>). SSE-S3, because log delivery cannot write to SSE-KMS buckets (S3 User Guide, "Logging requests with server access logging"); no
/// versioning, no Object Lock retention (a server-access-log target must have none: S3.9); objects expire per stage.
/// <para>
/// Ownership: CloudFront standard (legacy) logging writes through an ACL grant to its <c>awslogsdelivery</c> account,
/// which S3 refuses on a BucketOwnerEnforced bucket (CloudFront Developer Guide, "Standard logging"). So when CloudFront logs here, this
/// bucket alone keeps ACLs enabled with BucketOwnerPreferred and an explicit ACL (owner and awslogsdelivery
/// FULL_CONTROL), a documented exception to S3.12; otherwise ACLs stay off (BucketOwnerEnforced). S3 server access logs are delivered by the <c>logging.s3.amazonaws.com</c> service principal
/// through the bucket policy, limited to this account's buckets.
/// </para>
/// </summary>
public sealed class LogBucket
{
    /// <summary>The canonical user id of CloudFront's log-delivery account (awslogsdelivery), from the CloudFront docs and @pulumi/aws.</summary>
    public const string CloudFrontLogDeliveryCanonicalId = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0";

    /// <summary>The ownership CloudFront standard logging needs (ACLs enabled).</summary>
    public const string CloudFrontObjectOwnership = "BucketOwnerPreferred";

    public LogBucket(ComponentScope scope, LogBucketArgs args)
    {
        Bucket = new PrivateBucket(scope, "access", new PrivateBucketArgs(
            args.BucketName,
            new BucketEncryption.S3Managed(),
            Versioned: false,
            LifecycleRules:
            [
                PrivateBucket.ExpireAfter("expire-logs", args.ExpireAfterDays),
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            AccessLogs: null,
            args.ForceDestroy,
            ResourceOptions.Stateful(args.Protect),
            args.CloudFrontLogs ? CloudFrontObjectOwnership : PrivateBucket.OwnerEnforced));

        if (args.CloudFrontLogs) CloudFrontAcl = GrantCloudFrontLogDelivery(scope);

        var aws = args.Aws;
        var s3Logs = new PolicyStatement
        {
            Sid = "AllowS3ServerAccessLogs",
            Principal = PolicyStatement.ServicePrincipal("logging.s3.amazonaws.com"),
            Actions = ["s3:PutObject"],
            Resources = [Output.Format($"{Bucket.Arn}/{S3Prefix}*")],
            Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", PolicyStatement.Literal(aws.AccountId))),
        };
        Bucket.ApplyPolicy(args.AlbLogs ? [s3Logs, AlbLogDelivery(scope, aws)] : [s3Logs]);
    }

    /// <summary>The ACL CloudFront standard logging writes through: owner and awslogsdelivery FULL_CONTROL.</summary>
    private BucketAcl GrantCloudFrontLogDelivery(ComponentScope scope)
    {
        var owner = scope.Template.Variable<string>("canonical-user-id",
            Invoke.Aws("aws:s3/getCanonicalUserId:getCanonicalUserId", MapValue.From([]), "id"));
        return scope.Add("access-acl", new BucketAclArgs
        {
            Bucket = Bucket.Bucket.Id,
            AccessControlPolicy = new BucketAclAccessControlPolicy
            {
                Owner = new BucketAclAccessControlPolicyOwner { Id = owner },
                Grants =
                [
                    new BucketAclAccessControlPolicyGrant
                    {
                        Grantee = new BucketAclAccessControlPolicyGrantGrantee { Type = "CanonicalUser", Id = owner },
                        Permission = "FULL_CONTROL",
                    },
                    new BucketAclAccessControlPolicyGrant
                    {
                        Grantee = new BucketAclAccessControlPolicyGrantGrantee { Type = "CanonicalUser", Id = CloudFrontLogDeliveryCanonicalId },
                        Permission = "FULL_CONTROL",
                    },
                ],
            },
        }, new ResourceOptions { DependsOn = [Bucket.Ownership] });
    }

    /// <summary>Where ALBs write access logs: <c>alb/&lt;service&gt;</c> (ELB.5; this bucket is SSE-S3, which ELB log delivery needs).</summary>
    public const string AlbPrefix = "alb/";

    /// <summary>
    /// ELB log delivery writes ALB access logs under <c>alb/*/AWSLogs/&lt;account&gt;/</c>. Regions older than August 2022 deliver
    /// as the region's ELB account (aws.elb.getServiceAccount), newer ones as the log-delivery service principal; both
    /// are named so the statement works in either (ELB user guide, "Enable access logs for your Application Load Balancer").
    /// </summary>
    private PolicyStatement AlbLogDelivery(ComponentScope scope, AwsSettings aws) => new()
    {
        Sid = "AllowAlbAccessLogs",
        Principal = MapValue.From(
        [
            new("AWS", scope.Template.SharedVariable<string>("elb-service-account",
                () => Invoke.Aws("aws:elb/getServiceAccount:getServiceAccount", MapValue.From([]), "arn")).Expression),
            new("Service", new ListValue([new StringValue("logdelivery.elasticloadbalancing.amazonaws.com")])),
        ]),
        Actions = ["s3:PutObject"],
        Resources = [Output.Format($"{Bucket.Arn}/{AlbPrefix}*/AWSLogs/{aws.AccountId}/*")],
    };

    public const string S3Prefix = "s3/";

    public const string CloudFrontPrefix = "cloudfront/";

    public PrivateBucket Bucket { get; }

    /// <summary>The ACL that lets CloudFront standard logging write; null when no distribution logs here.</summary>
    public BucketAcl? CloudFrontAcl { get; }

    /// <summary>
    /// What a CloudFront distribution that logs here must wait for: CloudFront refuses a log bucket whose ACLs are not
    /// enabled yet ("The S3 bucket that you specified for CloudFront logs does not enable ACL access"), so the
    /// ownership controls and the ACL come first (CloudFront developer guide, "Configure standard logging (legacy)").
    /// </summary>
    public IReadOnlyList<Resource> CloudFrontLogsReady =>
        CloudFrontAcl is { } acl ? [Bucket.Ownership, acl] : throw new InvalidOperationException("The log bucket was built without CloudFront logging.");

    public Output<string> BucketName => Bucket.Bucket.BucketName;

    /// <summary>
    /// Where a bucket's server access logs go: <c>s3/&lt;bucket name&gt;/</c>. The logging configuration waits for
    /// this bucket's policy, which is what lets the S3 logging service write (S3 user guide, "Enabling Amazon S3
    /// server access logging": the destination bucket policy must grant logging.s3.amazonaws.com).
    /// </summary>
    public AccessLogTarget For(string bucketName) => new(BucketName, $"{S3Prefix}{bucketName}/", Bucket.Policy);
}
