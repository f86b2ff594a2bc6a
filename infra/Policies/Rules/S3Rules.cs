using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>
/// S3 controls. In @pulumi/aws v7 a bucket's settings are side resources (public access block, ownership controls,
/// encryption, versioning, lifecycle, policy, logging) that name their bucket through <c>${bucket.id}</c> or
/// <c>${bucket.bucket}</c>: each rule joins them to the bucket.
/// </summary>
public static class S3Rules
{
    private const string Bucket = "aws:s3:Bucket";

    private static IEnumerable<Node> Side(PolicyContext c, string type, Node bucket) => c.Referencing(type, "bucket", bucket);

    private static IEnumerable<Statement> PolicyStatements(PolicyContext c, Node bucket) =>
        Side(c, "aws:s3:BucketPolicy", bucket).SelectMany(p => Statement.Of(V.Document(p["policy"])));

    /// <summary>Buckets that receive logs of other services: CloudFront legacy logs need ACLs (CloudFront Developer Guide, "Standard logging").</summary>
    private static HashSet<string> CloudFrontLogBuckets(PolicyContext c) =>
        c.OfType("aws:cloudfront:Distribution").Select(d => V.RefName(d["loggingConfig.bucket"])).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static bool IsVersioned(PolicyContext c, Node bucket) =>
        Side(c, "aws:s3:BucketVersioning", bucket).Any(v => V.Str(v["versioningConfiguration.status"]) == "Enabled");

    private static IEnumerable<MapValue> LifecycleRules(PolicyContext c, Node bucket) =>
        Side(c, "aws:s3:BucketLifecycleConfiguration", bucket).SelectMany(l => V.Items(l["rules"]).OfType<MapValue>())
            .Where(r => V.Str(r["status"]) == "Enabled");

    private static readonly string[] PublicGrantees = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

    private static IEnumerable<Violation> PublicAccess(PolicyContext c, bool write)
    {
        string[] cannedAcls = write ? ["public-read-write"] : ["public-read", "public-read-write", "authenticated-read"];
        string[] permissions = write ? ["WRITE", "WRITE_ACP", "FULL_CONTROL"] : ["READ", "READ_ACP", "FULL_CONTROL"];
        string[] actions = write ? ["s3:PutObject", "s3:DeleteObject", "s3:PutBucketPolicy", "s3:PutObjectAcl"] : ["s3:GetObject", "s3:ListBucket"];
        var what = write ? "write" : "read";
        foreach (var bucket in c.OfType(Bucket))
        {
            var acls = Side(c, "aws:s3:BucketAcl", bucket).ToArray();
            if (acls.Any(a => cannedAcls.Contains(V.Str(a["acl"]))))
                yield return bucket.Violation($"a canned ACL grants public {what} access.", "remove the ACL: buckets are private, enforce BucketOwnershipControls BucketOwnerEnforced, serve content through CloudFront OAC");
            else if (acls.SelectMany(a => V.Items(a["accessControlPolicy.grants"]).OfType<MapValue>())
                     .Any(g => permissions.Contains(V.Str(g["permission"])) && PublicGrantees.Contains(V.Str(V.At(g, "grantee.uri")))))
                yield return bucket.Violation($"an ACL grant gives AllUsers/AuthenticatedUsers {what} access.", "remove the grant; serve content through CloudFront OAC");
            else if (PolicyStatements(c, bucket).Any(s => s.Allows && s.PrincipalIsAnyone && s.Condition is null && actions.Any(s.Grants)))
                yield return bucket.Violation($"its bucket policy allows anyone (Principal \"*\") to {what} without a condition.",
                    "grant a service principal with an aws:SourceArn condition (e.g. CloudFront OAC), never \"*\"");
        }
    }

    public static IEnumerable<Rule> All =>
    [
        new("S3.1", Severity.Medium, "aws:s3:AccountPublicAccessBlock: all four account-level Block Public Access flags are true.", Rule.Mandatory, c =>
            c.OfType("aws:s3:AccountPublicAccessBlock")
                .Where(b => !Flags.All(f => V.IsTrue(b[f])))
                .Select(b => b.Violation($"not all of {string.Join(", ", Flags)} are true.", "set all four to true (account-level Block Public Access)"))),

        new("S3.2", Severity.Critical, "No bucket allows public read: no public canned ACL or AllUsers grant, no unconditional Allow to \"*\" of s3:GetObject/ListBucket.", Rule.Mandatory,
            c => PublicAccess(c, write: false)),

        new("S3.3", Severity.Critical, "No bucket allows public write: no public-read-write ACL or AllUsers write grant, no unconditional Allow to \"*\" of write actions.", Rule.Mandatory,
            c => PublicAccess(c, write: true)),

        new("S3.4", Severity.Medium, "Every bucket has a BucketServerSideEncryptionConfiguration with a default algorithm (aws:kms, aws:kms:dsse or AES256).", Rule.Mandatory, c =>
            c.OfType(Bucket).Where(b => !Side(c, "aws:s3:BucketServerSideEncryptionConfiguration", b).Any(e =>
                    V.Items(e["rules"]).OfType<MapValue>().Any(r => V.Str(V.At(r, "applyServerSideEncryptionByDefault.sseAlgorithm")) is "aws:kms" or "aws:kms:dsse" or "AES256")))
                .Select(b => b.Violation("has no default server-side encryption.",
                    "add aws:s3:BucketServerSideEncryptionConfiguration {bucket: ${<bucket>.id}, rules: [{applyServerSideEncryptionByDefault: {sseAlgorithm: aws:kms}, bucketKeyEnabled: true}]}"))),

        new("S3.5", Severity.Medium, "Every bucket's policy denies s3:* to \"*\" when aws:SecureTransport is false, on the bucket and its objects.", Rule.Mandatory, c =>
            c.OfType(Bucket).Where(b => !PolicyStatements(c, b).Any(s => DeniesInsecureTransport(s, b)))
                .Select(b => b.Violation("its bucket policy does not require TLS.",
                    "add a BucketPolicy statement {Effect: Deny, Principal: \"*\", Action: s3:*, Resource: [${bucket.arn}, ${bucket.arn}/*], Condition: {Bool: {aws:SecureTransport: false}}}"))),

        new("S3.6", Severity.High, "No bucket policy grants another account DeleteBucketPolicy, PutBucketAcl, PutBucketPolicy, PutEncryptionConfiguration or PutObjectAcl.", Rule.Mandatory, c =>
            c.OfType(Bucket).Where(b => PolicyStatements(c, b).Any(s => s.Allows && SensitiveActions.Any(s.Grants) &&
                    (s.PrincipalIsAnyone || s.AwsPrincipals.Any(p => !c.Accounts.Any(a => p == a || p.Contains($":{a}:", StringComparison.Ordinal))))))
                .Select(b => b.Violation("its bucket policy lets another account change the bucket's policy, ACLs or encryption.",
                    "remove the statement, or limit it to principals of this stack's own account"))),

        new("S3.8", Severity.High, "Every bucket has a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.", Rule.Mandatory, c =>
            c.OfType(Bucket).Where(b => !Side(c, "aws:s3:BucketPublicAccessBlock", b).Any(p => Flags.All(f => V.IsTrue(p[f]))))
                .Select(b => b.Violation("has no public access block with all four flags true.",
                    "add aws:s3:BucketPublicAccessBlock {bucket: ${<bucket>.id}, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true}"))),

        new("S3.9", Severity.Medium, "Every bucket has a BucketLogging to a log bucket; buckets that are themselves log targets are exempt.", Rule.Advisory, c =>
        {
            var targets = c.OfType("aws:s3:BucketLogging").Select(l => V.RefName(l["targetBucket"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
            targets.UnionWith(CloudFrontLogBuckets(c));
            return c.OfType(Bucket).Where(b => !targets.Contains(b.Name) && !Side(c, "aws:s3:BucketLogging", b).Any())
                .Select(b => b.Violation("has no server access logging.", "add aws:s3:BucketLogging {bucket: ${<bucket>.id}, targetBucket: ${<log bucket>.id}, targetPrefix: <bucket>/}"));
        }),

        new("S3.10", Severity.Medium, "A versioned bucket has an enabled lifecycle rule with noncurrentVersionExpiration.", Rule.Advisory, c =>
            c.OfType(Bucket).Where(b => IsVersioned(c, b) && !LifecycleRules(c, b).Any(r => r["noncurrentVersionExpiration"] is not null))
                .Select(b => b.Violation("is versioned but old versions never expire.",
                    "add a BucketLifecycleConfiguration rule {status: Enabled, noncurrentVersionExpiration: {noncurrentDays: 90}}"))),

        new("S3.11", Severity.Medium, "Every bucket has event notifications (aws:s3:BucketNotification).", Rule.Advisory, c =>
            c.OfType(Bucket).Where(b => !Side(c, "aws:s3:BucketNotification", b).Any())
                .Select(b => b.Violation("has no event notifications.", "add aws:s3:BucketNotification if something must react to changes; otherwise accept this advisory finding"))),

        new("S3.12", Severity.Medium, "Every bucket disables ACLs: BucketOwnershipControls objectOwnership BucketOwnerEnforced (a CloudFront standard-log bucket is exempt: it needs BucketOwnerPreferred).", Rule.Mandatory, c =>
        {
            var logBuckets = CloudFrontLogBuckets(c);
            return c.OfType(Bucket).Where(b =>
                {
                    var ownership = Side(c, "aws:s3:BucketOwnershipControls", b).Select(o => V.Str(o["rule.objectOwnership"])).ToArray();
                    return !(ownership.Contains("BucketOwnerEnforced") || (logBuckets.Contains(b.Name) && ownership.Contains("BucketOwnerPreferred")));
                })
                .Select(b => b.Violation("ACLs are not disabled.", "add aws:s3:BucketOwnershipControls {bucket: ${<bucket>.id}, rule: {objectOwnership: BucketOwnerEnforced}}"));
        }),

        new("S3.13", Severity.Low, "Every bucket has a BucketLifecycleConfiguration with an enabled rule.", Rule.Advisory, c =>
            c.OfType(Bucket).Where(b => !LifecycleRules(c, b).Any())
                .Select(b => b.Violation("has no lifecycle configuration.", "add aws:s3:BucketLifecycleConfiguration with at least abortIncompleteMultipartUpload {daysAfterInitiation: 7}"))),

        new("S3.14", Severity.Low, "Every bucket has BucketVersioning with status Enabled.", Rule.Advisory, c =>
            c.OfType(Bucket).Where(b => !IsVersioned(c, b))
                .Select(b => b.Violation("is not versioned.", "add aws:s3:BucketVersioning {bucket: ${<bucket>.id}, versioningConfiguration: {status: Enabled}}"))),

        new("S3.17", Severity.Medium, "Every bucket is encrypted with KMS (sseAlgorithm aws:kms or aws:kms:dsse).", Rule.Advisory, c =>
            c.OfType(Bucket).Where(b => !Side(c, "aws:s3:BucketServerSideEncryptionConfiguration", b).Any(e =>
                    V.Items(e["rules"]).OfType<MapValue>().Any(r => V.Str(V.At(r, "applyServerSideEncryptionByDefault.sseAlgorithm")) is "aws:kms" or "aws:kms:dsse")))
                .Select(b => b.Violation("is not encrypted with KMS.", "use sseAlgorithm aws:kms with a customer-managed key (not for ALB/S3 access-log buckets, which need AES256)"))),

        new("PLATFORM.S3.1", Severity.High, "Buckets keep their objects on delete where data is kept: forceDestroy is not true unless the stage's data is disposable.", Rule.WhereDataIsKept, c =>
            c.OfType(Bucket).Where(b => V.IsTrue(b["forceDestroy"]))
                .Select(b => b.Violation("forceDestroy deletes every object when the bucket is destroyed.", "remove forceDestroy (set platform:profile.disposableData only for throw-away stages)"))),
    ];

    private static readonly string[] Flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

    private static readonly string[] SensitiveActions =
        ["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"];

    private static bool DeniesInsecureTransport(Statement s, Node bucket)
    {
        if (s.Effect != "Deny" || !s.PrincipalIsAnyone || !s.Grants("s3:GetObject") || !s.Grants("s3:PutObject")) return false;
        var secure = s.Condition?["Bool"] is MapValue b ? b["aws:SecureTransport"] : null;
        if (!V.Items(secure).Any(v => V.Str(v) == "false")) return false;
        // The statement must cover the bucket (its ARN) and its objects (ARN/*), or everything.
        if (s.AnyResource) return true;
        var bucketArn = s.Resources.Any(r => r is ReferenceValue { Path: "arn" } rv && rv.Resource == bucket.Name);
        var objects = s.Resources.Any(r => r is InterpolationValue { Parts: [ReferenceValue { Path: "arn" } rv, StringValue { Text: "/*" }] } && rv.Resource == bucket.Name);
        return bucketArn && objects;
    }
}
