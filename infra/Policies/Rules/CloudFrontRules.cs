using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>CloudFront distribution controls.</summary>
public static class CloudFrontRules
{
    private const string Distribution = "aws:cloudfront:Distribution";

    private static IEnumerable<MapValue> Origins(Node d) => V.Items(d["origins"]).OfType<MapValue>();

    /// <summary>An S3 origin: its domain refers to a bucket of the template, or is a literal S3 domain.</summary>
    private static bool IsS3Origin(PolicyContext c, MapValue origin)
    {
        var domain = origin["domainName"];
        if (V.RefName(domain) is { } name) return c.Find(name)?.Type == "aws:s3:Bucket";
        return V.Str(domain) is { } text && text.Contains(".s3.", StringComparison.Ordinal) && text.EndsWith(".amazonaws.com", StringComparison.Ordinal)
               || origin["s3OriginConfig"] is not null;
    }

    private static bool HasCustomCertificate(Node d) => d["viewerCertificate.acmCertificateArn"] is not null || d["viewerCertificate.iamCertificateId"] is not null;

    private static readonly string[] RecommendedTls = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

    public static IEnumerable<Rule> All =>
    [
        new("CloudFront.1", Severity.Critical, "A distribution with an S3 origin has a defaultRootObject.", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => Origins(d).Any(o => IsS3Origin(c, o)) && (d["defaultRootObject"] is null || V.Str(d["defaultRootObject"]) == ""))
                .Select(d => d.Violation("has no default root object, so a request for / lists or exposes the origin.", "set defaultRootObject: index.html"))),

        new("CloudFront.3", Severity.Medium, "viewerProtocolPolicy is redirect-to-https or https-only on the default and every ordered cache behavior.", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => new[] { d["defaultCacheBehavior"] }.Concat(V.Items(d["orderedCacheBehaviors"]))
                    .Any(b => V.Str(V.At(b, "viewerProtocolPolicy")) is not ("redirect-to-https" or "https-only")))
                .Select(d => d.Violation("a cache behavior lets viewers use plain HTTP (viewerProtocolPolicy allow-all).",
                    "set viewerProtocolPolicy: redirect-to-https on defaultCacheBehavior and every orderedCacheBehaviors entry"))),

        new("CloudFront.4", Severity.Low, "The distribution has an origin group with failover criteria (a second origin).", Rule.Advisory, c =>
            c.OfType(Distribution).Where(d => !V.Items(d["originGroups"]).OfType<MapValue>().Any(g => V.Items(g["members"]).Count >= 2))
                .Select(d => d.Violation("has no origin failover.", "add originGroups: [{originId, failoverCriteria: {statusCodes: [500, 502, 503, 504]}, members: [{originId: primary}, {originId: replica}]}]"))),

        new("CloudFront.5", Severity.Medium, "Access logging is configured (loggingConfig.bucket).", Rule.Advisory, c =>
            c.OfType(Distribution).Where(d => d["loggingConfig.bucket"] is null)
                .Select(d => d.Violation("has no access logging.", "set loggingConfig: {bucket: ${<log bucket>.bucketDomainName}, prefix: cloudfront/, includeCookies: false}"))),

        new("CloudFront.6", Severity.Medium, "A WAF web ACL is associated (webAclId).", Rule.WhereDataIsKept, c =>
            c.OfType(Distribution).Where(d => d["webAclId"] is null)
                .Select(d => d.Violation("has no WAF web ACL.", "turn platform:waf on (its default), or set the site's webAclArn to a CLOUDFRONT-scoped web ACL in us-east-1"))),

        new("CloudFront.7", Severity.Medium, "The distribution uses a custom (ACM) certificate, not the default *.cloudfront.net one.", Rule.Advisory, c =>
            c.OfType(Distribution).Where(d => !HasCustomCertificate(d))
                .Select(d => d.Violation("uses the default CloudFront certificate.", "set viewerCertificate: {acmCertificateArn: <us-east-1 ACM ARN>, sslSupportMethod: sni-only, minimumProtocolVersion: TLSv1.2_2021}"))),

        new("CloudFront.8", Severity.Low, "A custom certificate is served with SNI (sslSupportMethod sni-only), not dedicated IPs.", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => HasCustomCertificate(d) && V.Str(d["viewerCertificate.sslSupportMethod"]) != "sni-only")
                .Select(d => d.Violation("does not use SNI (vip costs a dedicated IP per edge location).", "set viewerCertificate.sslSupportMethod: sni-only"))),

        new("CloudFront.9", Severity.Medium, "Custom origins are reached over HTTPS (originProtocolPolicy https-only).", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => Origins(d).Any(o => o["customOriginConfig"] is MapValue co && V.Str(co["originProtocolPolicy"]) != "https-only"))
                .Select(d => d.Violation("a custom origin accepts plain HTTP between CloudFront and the origin.", "set customOriginConfig.originProtocolPolicy: https-only"))),

        new("CloudFront.10", Severity.Medium, "Custom origins do not allow SSLv3 (or TLSv1/TLSv1.1) in originSslProtocols.", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => Origins(d).Any(o => o["customOriginConfig"] is MapValue co &&
                    V.Strings(co["originSslProtocols"]).Any(p => p is "SSLv3" or "TLSv1" or "TLSv1.1")))
                .Select(d => d.Violation("a custom origin allows deprecated SSL/TLS protocols.", "set customOriginConfig.originSslProtocols: [TLSv1.2]"))),

        new("CloudFront.12", Severity.High, "An S3 origin's domain refers to a bucket of the template, never a literal name that may not exist.", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => Origins(d).Any(o => IsS3Origin(c, o) && V.RefName(o["domainName"]) is null))
                .Select(d => d.Violation("an S3 origin names a bucket by a literal domain: if that bucket is deleted, anyone can claim the name.",
                    "set the origin's domainName to ${<bucket>.bucketRegionalDomainName}"))),

        new("CloudFront.13", Severity.Medium, "Every S3 origin uses origin access control (originAccessControlId).", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => Origins(d).Any(o => IsS3Origin(c, o) && o["originAccessControlId"] is null))
                .Select(d => d.Violation("an S3 origin has no origin access control (the bucket would have to be public, or use legacy OAI).",
                    "add aws:cloudfront:OriginAccessControl {originAccessControlOriginType: s3, signingBehavior: always, signingProtocol: sigv4} and set origins[].originAccessControlId"))),

        new("CloudFront.15", Severity.Medium, "With a custom certificate, minimumProtocolVersion is a recommended policy (TLSv1.2_2021 or newer).", Rule.Mandatory, c =>
            c.OfType(Distribution).Where(d => HasCustomCertificate(d) && !RecommendedTls.Contains(V.Str(d["viewerCertificate.minimumProtocolVersion"])))
                .Select(d => d.Violation("allows TLS versions older than the recommended policy.", "set viewerCertificate.minimumProtocolVersion: TLSv1.2_2021"))),
    ];
}
