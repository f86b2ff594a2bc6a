using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudFront;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// A single-page application: a private, versioned origin bucket (SSE-S3, so CloudFront can read it without a key
/// policy) that only this distribution may read, through an Origin Access Control (no website
/// hosting, no OAI); HTTPS only, SPA fallback to /index.html, security headers, compression, HTTP/2 and 3, IPv6,
/// standard logs to the stack's log bucket, and optionally custom domains with an ACM certificate and a WAF web ACL.
/// </summary>
public sealed class StaticSite : StoreBase
{
    /// <summary>AWS managed cache policy "Managed-CachingOptimized".</summary>
    public const string CachingOptimizedPolicyId = "658327ea-f89d-4fab-a63d-7e88639e58f6";

    public const string OriginId = "s3-origin";

    /// <summary>Two years, with subdomains: the HSTS value browsers' preload lists ask for.</summary>
    public const int HstsMaxAgeSeconds = 63072000;

    /// <summary>Read only: CI deploys the site's files; the owning service's roles only read them.</summary>
    public override IReadOnlyList<PolicyStatement> GrantOwner() => GrantRead();

    /// <param name="edgeWebAcl">The stack's CloudFront-scoped web ACL, used when the site names none of its own (<c>webAclArn</c>).</param>
    public StaticSite(ComponentScope scope, StoreArgs<StaticSiteSettings> args, Output<string>? edgeWebAcl = null)
        : base(args.Service, args.Store.Name, StoreKind.StaticSite, OriginBucket(scope, args), key: null, args.Aws.Region)
    {
        var name = args.Store.Name;
        var site = args.Store;
        var physical = scope.PhysicalName(name);

        AccessControl = scope.Add($"{name}-oac", new OriginAccessControlArgs
        {
            Name = physical,
            Description = $"CloudFront reads {args.BucketName} with SigV4.",
            OriginAccessControlOriginType = "s3",
            SigningBehavior = "always",
            SigningProtocol = "sigv4",
        });

        var headers = scope.Add($"{name}-headers", new ResponseHeadersPolicyArgs
        {
            Name = physical,
            Comment = "Security headers of a single-page application.",
            SecurityHeadersConfig = new ResponseHeadersPolicySecurityHeadersConfig
            {
                StrictTransportSecurity = new ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity
                {
                    AccessControlMaxAgeSec = HstsMaxAgeSeconds,
                    IncludeSubdomains = true,
                    Override = true,
                },
                ContentTypeOptions = new ResponseHeadersPolicySecurityHeadersConfigContentTypeOptions { Override = true },
                FrameOptions = new ResponseHeadersPolicySecurityHeadersConfigFrameOptions { FrameOption = "DENY", Override = true },
                ReferrerPolicy = new ResponseHeadersPolicySecurityHeadersConfigReferrerPolicy { ReferrerPolicy = "strict-origin-when-cross-origin", Override = true },
            },
        });

        var custom = site.CertificateArn is not null;
        Distribution = scope.Add($"{name}-cdn", new DistributionArgs
        {
            Enabled = true,
            Comment = $"{scope.Stack.Project}/{scope.Stack.Stack} {args.Service} {name}",
            DefaultRootObject = "index.html",
            HttpVersion = "http2and3",
            IsIpv6Enabled = true,
            PriceClass = site.PriceClass,
            Aliases = site.Aliases.Count == 0 ? null : (InputList<string>)site.Aliases.ToArray(),
            WebAclId = Input<string>.Optional(site.WebAclArn) ?? Input<string>.Optional(edgeWebAcl),
            Origins =
            [
                new DistributionOrigin
                {
                    OriginId = OriginId,
                    DomainName = Bucket.Bucket.BucketRegionalDomainName,
                    OriginAccessControlId = AccessControl.Id,
                },
            ],
            DefaultCacheBehavior = new DistributionDefaultCacheBehavior
            {
                TargetOriginId = OriginId,
                ViewerProtocolPolicy = "redirect-to-https",
                AllowedMethods = ["GET", "HEAD", "OPTIONS"],
                CachedMethods = ["GET", "HEAD"],
                CachePolicyId = CachingOptimizedPolicyId,
                ResponseHeadersPolicyId = headers.Id,
                Compress = true,
            },
            // Client-side routes are not objects: S3 answers 403 (no ListBucket for CloudFront) or 404; serve the app.
            CustomErrorResponses =
            [
                new DistributionCustomErrorResponse { ErrorCode = 403, ResponseCode = 200, ResponsePagePath = "/index.html", ErrorCachingMinTtl = 10 },
                new DistributionCustomErrorResponse { ErrorCode = 404, ResponseCode = 200, ResponsePagePath = "/index.html", ErrorCachingMinTtl = 10 },
            ],
            Restrictions = new DistributionRestrictions
            {
                GeoRestriction = new DistributionRestrictionsGeoRestriction { RestrictionType = "none" },
            },
            ViewerCertificate = custom
                ? new DistributionViewerCertificate
                {
                    AcmCertificateArn = site.CertificateArn!,
                    SslSupportMethod = "sni-only",
                    MinimumProtocolVersion = "TLSv1.2_2021",
                }
                : new DistributionViewerCertificate { CloudfrontDefaultCertificate = true },
            LoggingConfig = new DistributionLoggingConfig
            {
                Bucket = args.Logs.Bucket.Bucket.BucketDomainName,
                Prefix = $"{LogBucket.CloudFrontPrefix}{args.Service}-{name}/",
                IncludeCookies = false,
            },
        }, new ResourceOptions { DependsOn = args.Logs.CloudFrontLogsReady });

        Bucket.ApplyPolicy(new PolicyStatement
        {
            Sid = "AllowCloudFrontRead",
            Principal = PolicyStatement.ServicePrincipal("cloudfront.amazonaws.com"),
            Actions = ["s3:GetObject"],
            Resources = [Bucket.Objects],
            Conditions = PolicyStatement.Condition(("StringEquals", "AWS:SourceArn", Distribution.Arn)),
        });
    }

    public OriginAccessControl AccessControl { get; }

    public Distribution Distribution { get; }

    private static PrivateBucket OriginBucket(ComponentScope scope, StoreArgs<StaticSiteSettings> args) =>
        new(scope, args.Store.Name, new PrivateBucketArgs(
            args.BucketName,
            new BucketEncryption.S3Managed(),
            Versioned: true,
            LifecycleRules:
            [
                new BucketLifecycleConfigurationRule
                {
                    Id = "expire-replaced-site-files",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = args.Store.NoncurrentVersionExpirationDays },
                },
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            args.Logs.For(args.BucketName),
            args.ForceDestroy,
            ResourceOptions.None));
}
