using System.Text.Json;
using Platform.Infra.Aws.CloudFront;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Policies;
using Platform.Infra.Settings;
using S3Bucket = Platform.Infra.Aws.S3.Bucket;

namespace Platform.Infra.Tests.Policies;

/// <summary>How a test bucket is built: every part compliant unless a test turns it off.</summary>
public sealed record BucketParts
{
    public bool PublicAccessBlock { get; init; } = true;
    public bool RestrictPublicBuckets { get; init; } = true;
    public string? Ownership { get; init; } = "BucketOwnerEnforced";
    public string? Sse { get; init; } = "aws:kms";
    public bool Versioning { get; init; } = true;
    public bool Lifecycle { get; init; } = true;
    public bool NoncurrentExpiration { get; init; } = true;
    public string? LogTo { get; init; } = "logs";
    public bool Notification { get; init; } = true;
    public bool RequireTls { get; init; } = true;
    public bool ForceDestroy { get; init; }
    public IReadOnlyList<PolicyStatement> Statements { get; init; } = [];
    public BucketAclArgs? Acl { get; init; }
    public string? DataClassification { get; init; }
}

/// <summary>Minimal templates built from the generated resource types, and the engine run over them.</summary>
public static class PolicyBuilders
{
    public static readonly StageProfile Dev = new(Protect: false, DisposableData: true, LogRetentionDays: 30);
    public static readonly StageProfile Prod = new(Protect: true, DisposableData: false, LogRetentionDays: 365);
    public const string Account = "111111111111";
    public static readonly DateOnly Today = new(2026, 6, 15);

    public static PolicyReport Run(Template template, StageProfile? profile = null, IReadOnlyList<Waiver>? waivers = null) =>
        PolicyEngine.Evaluate(template, profile ?? Prod, waivers ?? [], Today, [Account]);

    /// <summary>Every finding (mandatory and advisory, unwaived) of one rule.</summary>
    public static IReadOnlyList<Finding> Findings(Template template, string control, StageProfile? profile = null)
    {
        var report = Run(template, profile);
        return report.Mandatory.Concat(report.Advisory).Where(f => f.Control == control).ToArray();
    }

    /// <summary>A JSON document as a component writes it: <c>fn::toJSON</c> of a value tree.</summary>
    public static Input<string> Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Input<string>.FromValue(FunctionValue.ToJson(ToValue(doc.RootElement)));
    }

    private static Value ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => MapValue.Ordered(e.EnumerateObject().Select(p => new KeyValuePair<string, Value?>(p.Name, ToValue(p.Value)))),
        JsonValueKind.Array => new ListValue(e.EnumerateArray().Select(ToValue).ToArray()),
        JsonValueKind.String => new StringValue(e.GetString()!),
        JsonValueKind.Number => new NumberValue(e.GetDouble()),
        _ => new BoolValue(e.ValueKind == JsonValueKind.True),
    };

    public static Input<string> Doc(params PolicyStatement[] statements) => new PolicyDocument(statements).ToJson();

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>> Condition(string op, string key, string value) =>
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>>
        {
            [op] = new Dictionary<string, IReadOnlyList<Output<string>>> { [key] = [PolicyStatement.Literal(value)] },
        };

    /// <summary>A bucket with its side resources, each joined through <c>${bucket.id}</c>.</summary>
    public static S3Bucket AddBucket(this Template t, string name, BucketParts? parts = null)
    {
        parts ??= new BucketParts();
        var tags = parts.DataClassification is { } classification ? new InputMap<string> { { "DataClassification", classification } } : null;
        var bucket = t.Add(new S3Bucket(name, new BucketArgs { ForceDestroy = parts.ForceDestroy ? true : null, Tags = tags }));
        if (parts.PublicAccessBlock)
            t.Add(new BucketPublicAccessBlock($"{name}-pab", new BucketPublicAccessBlockArgs
            {
                Bucket = bucket.Id, BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true, RestrictPublicBuckets = parts.RestrictPublicBuckets,
            }));
        if (parts.Ownership is { } ownership)
            t.Add(new BucketOwnershipControls($"{name}-ownership", new BucketOwnershipControlsArgs { Bucket = bucket.Id, Rule = new BucketOwnershipControlsRule { ObjectOwnership = ownership } }));
        if (parts.Sse is { } sse)
            t.Add(new BucketServerSideEncryptionConfiguration($"{name}-sse", new BucketServerSideEncryptionConfigurationArgs
            {
                Bucket = bucket.Id,
                Rules = new[] { new BucketServerSideEncryptionConfigurationRule { ApplyServerSideEncryptionByDefault = new BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault { SseAlgorithm = sse }, BucketKeyEnabled = true } },
            }));
        if (parts.Versioning)
            t.Add(new BucketVersioning($"{name}-versioning", new BucketVersioningArgs { Bucket = bucket.Id, VersioningConfiguration = new BucketVersioningVersioningConfiguration { Status = "Enabled" } }));
        if (parts.Lifecycle)
            t.Add(new BucketLifecycleConfiguration($"{name}-lifecycle", new BucketLifecycleConfigurationArgs
            {
                Bucket = bucket.Id,
                Rules = new[]
                {
                    new BucketLifecycleConfigurationRule
                    {
                        Id = "expire", Status = "Enabled",
                        NoncurrentVersionExpiration = parts.NoncurrentExpiration ? (Input<BucketLifecycleConfigurationRuleNoncurrentVersionExpiration>)new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = 90 } : null,
                        AbortIncompleteMultipartUpload = new BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 },
                    },
                },
            }));
        if (parts.LogTo is { } target)
        {
            if (t.Find(target) is null) t.AddBucket(target, new BucketParts { LogTo = null });
            t.Add(new BucketLogging($"{name}-logging", new BucketLoggingArgs { Bucket = bucket.Id, TargetBucket = ((S3Bucket)t.Find(target)!).Id, TargetPrefix = $"{name}/" }));
        }
        if (parts.Notification)
            t.Add(new BucketNotification($"{name}-notification", new BucketNotificationArgs { Bucket = bucket.Id, Eventbridge = true }));
        var statements = parts.Statements.ToList();
        if (parts.RequireTls)
            statements.Add(new PolicyStatement
            {
                Sid = "DenyInsecureTransport", Effect = "Deny", Principal = PolicyStatement.Anyone, Actions = ["s3:*"],
                Resources = [bucket.Arn, Output.Format($"{bucket.Arn}/*")],
                Conditions = Condition("Bool", "aws:SecureTransport", "false"),
            });
        if (statements.Count > 0)
            t.Add(new BucketPolicy($"{name}-policy", new BucketPolicyArgs { Bucket = bucket.Id, Policy = Doc([.. statements]) }));
        if (parts.Acl is { } acl)
            t.Add(new BucketAcl($"{name}-acl", acl with { Bucket = bucket.Id }));
        return bucket;
    }

    /// <summary>A private SPA distribution over an S3 bucket through OAC, custom certificate, logging, WAF, failover.</summary>
    public static DistributionArgs SiteDistribution(S3Bucket origin, S3Bucket logs, S3Bucket replica, OriginAccessControl oac) => new()
    {
        Enabled = true,
        DefaultRootObject = "index.html",
        Origins = new[]
        {
            new DistributionOrigin { OriginId = "primary", DomainName = origin.BucketRegionalDomainName, OriginAccessControlId = oac.Id },
            new DistributionOrigin { OriginId = "replica", DomainName = replica.BucketRegionalDomainName, OriginAccessControlId = oac.Id },
        },
        OriginGroups = new[]
        {
            new DistributionOriginGroup
            {
                OriginId = "site", FailoverCriteria = new DistributionOriginGroupFailoverCriteria { StatusCodes = new double[] { 500, 502, 503, 504 } },
                Members = new[] { new DistributionOriginGroupMember { OriginId = "primary" }, new DistributionOriginGroupMember { OriginId = "replica" } },
            },
        },
        DefaultCacheBehavior = new DistributionDefaultCacheBehavior
        {
            TargetOriginId = "site", ViewerProtocolPolicy = "redirect-to-https",
            AllowedMethods = new[] { "GET", "HEAD" }, CachedMethods = new[] { "GET", "HEAD" },
        },
        Restrictions = new DistributionRestrictions { GeoRestriction = new DistributionRestrictionsGeoRestriction { RestrictionType = "none" } },
        ViewerCertificate = new DistributionViewerCertificate
        {
            AcmCertificateArn = "arn:aws:acm:us-east-1:111111111111:certificate/abc", SslSupportMethod = "sni-only", MinimumProtocolVersion = "TLSv1.2_2021",
        },
        LoggingConfig = new DistributionLoggingConfig { Bucket = logs.BucketDomainName, Prefix = "cloudfront/", IncludeCookies = false },
        WebAclId = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/site/1",
    };

    public static OriginAccessControl AddOac(this Template t) => t.Add(new OriginAccessControl("oac", new OriginAccessControlArgs
    {
        Name = "site", OriginAccessControlOriginType = "s3", SigningBehavior = "always", SigningProtocol = "sigv4",
    }));
}
