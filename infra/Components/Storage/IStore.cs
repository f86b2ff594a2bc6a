using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// A store of a service (static site, secure store, transient store): its bucket, and grants the way CDK's
/// <c>bucket.grantRead(role)</c> works. A grant is a list of least-privilege IAM statements (the bucket ARN and
/// <c>arn/*</c>, and for a KMS-encrypted store its key only, through S3 only) that a role's policy includes, e.g.
/// <c>new PolicyDocument([.. store.GrantRead(), .. other.GrantWrite()])</c> on an ECS task role or a Lambda role.
/// </summary>
public interface IStore
{
    /// <summary>The service that owns the store.</summary>
    string Service { get; }

    /// <summary>The store's name within the service (the purpose part of its bucket name).</summary>
    string Name { get; }

    StoreKind Kind { get; }

    /// <summary>The bucket's name (an output: known once the bucket exists).</summary>
    Output<string> BucketName { get; }

    Output<string> BucketArn { get; }

    /// <summary>Read objects (and their versions) and list the bucket.</summary>
    IReadOnlyList<PolicyStatement> GrantRead();

    /// <summary>Write and delete objects, and abort multipart uploads.</summary>
    IReadOnlyList<PolicyStatement> GrantWrite();

    /// <summary><see cref="GrantRead"/> and <see cref="GrantWrite"/> together.</summary>
    IReadOnlyList<PolicyStatement> GrantReadWrite();

    /// <summary>
    /// What a processor of an inbox needs (the ingestion function, docs/ingestion-function.md "IAM"): read and delete
    /// the objects under <paramref name="inboxPrefix"/>, read and write those under <paramref name="processedPrefix"/>,
    /// and list the bucket (without it S3 answers 403 instead of 404 for a missing object). No object versions.
    /// </summary>
    IReadOnlyList<PolicyStatement> GrantProcess(string inboxPrefix, string processedPrefix);

    /// <summary>
    /// What the roles of the service that owns the store get: the store kind decides (read and write, unless the kind
    /// says otherwise).
    /// </summary>
    IReadOnlyList<PolicyStatement> GrantOwner();
}
