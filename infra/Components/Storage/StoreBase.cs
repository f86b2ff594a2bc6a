using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// The grants of a store's bucket, shared by every store kind: least privilege, naming the bucket ARN (list) and
/// <c>arn/*</c> (objects) only; for a bucket encrypted with a customer-managed key, the key's ARN only, usable only
/// through S3 in the stack's region (<c>kms:ViaService</c>).
/// </summary>
public abstract class StoreBase : IStore
{
    public static readonly IReadOnlyList<string> ReadActions = ["s3:GetObject", "s3:GetObjectVersion"];
    public static readonly IReadOnlyList<string> ListActions = ["s3:ListBucket"];
    public static readonly IReadOnlyList<string> WriteActions = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"];
    public static readonly IReadOnlyList<string> KeyReadActions = ["kms:Decrypt"];

    /// <summary>
    /// Writing with SSE-KMS needs a data key; a multipart upload also decrypts it to complete the upload, so kms:Decrypt
    /// is part of a write grant (AWS: "Permissions for multipart upload with SSE-KMS").
    /// </summary>
    public static readonly IReadOnlyList<string> KeyWriteActions = ["kms:Decrypt", "kms:GenerateDataKey"];

    private readonly Key? _key;
    private readonly string _region;

    protected StoreBase(string service, string name, StoreKind kind, PrivateBucket bucket, Key? key, string region)
    {
        Service = service;
        Name = name;
        Kind = kind;
        Bucket = bucket;
        _key = key;
        _region = region;
    }

    public string Service { get; }

    public string Name { get; }

    public StoreKind Kind { get; }

    public PrivateBucket Bucket { get; }

    public Output<string> BucketName => Bucket.Bucket.BucketName;

    public Output<string> BucketArn => Bucket.Bucket.Arn;

    /// <summary>What reading an object takes in this store: archived objects also need a restore (see <see cref="SecureStore"/>).</summary>
    protected virtual IReadOnlyList<string> ObjectReadActions => ReadActions;

    public IReadOnlyList<PolicyStatement> GrantRead() =>
    [
        Statement("List", ListActions, BucketArn),
        Statement("Read", ObjectReadActions, Bucket.Objects),
        .. KeyStatement("Decrypt", KeyReadActions),
    ];

    public IReadOnlyList<PolicyStatement> GrantWrite() =>
    [
        Statement("Write", WriteActions, Bucket.Objects),
        .. KeyStatement("Encrypt", KeyWriteActions),
    ];

    public IReadOnlyList<PolicyStatement> GrantReadWrite() =>
    [
        Statement("List", ListActions, BucketArn),
        Statement("ReadWrite", [.. ObjectReadActions, .. WriteActions], Bucket.Objects),
        .. KeyStatement("EncryptDecrypt", [.. KeyReadActions.Union(KeyWriteActions).Order(StringComparer.Ordinal)]),
    ];

    public IReadOnlyList<PolicyStatement> GrantProcess(string inboxPrefix, string processedPrefix) =>
    [
        Statement("List", ListActions, BucketArn),
        Statement("TakeFromInbox", ["s3:DeleteObject", "s3:GetObject"], Output.Format($"{BucketArn}/{inboxPrefix}*")),
        Statement("WriteProcessed", ["s3:GetObject", "s3:PutObject"], Output.Format($"{BucketArn}/{processedPrefix}*")),
        .. KeyStatement("EncryptDecrypt", [.. KeyReadActions.Union(KeyWriteActions).Order(StringComparer.Ordinal)]),
    ];

    /// <summary>Read and write: the owner of a store uses its data. A kind whose data its owner only reads overrides this.</summary>
    public virtual IReadOnlyList<PolicyStatement> GrantOwner() => GrantReadWrite();

    /// <summary>A statement id unique across stores: IAM refuses duplicate Sids in one policy.</summary>
    private string Sid(string what) => string.Concat($"{Service}-{Name}-{what}".Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private PolicyStatement Statement(string what, IReadOnlyList<string> actions, Output<string> resource) => new()
    {
        Sid = Sid(what),
        Actions = actions,
        Resources = [resource],
    };

    private IEnumerable<PolicyStatement> KeyStatement(string what, IReadOnlyList<string> actions)
    {
        if (_key is null) yield break;
        yield return new PolicyStatement
        {
            Sid = Sid(what),
            Actions = actions,
            Resources = [_key.Arn],
            Conditions = PolicyStatement.Condition(PolicyStatement.ViaService("s3", _region)),
        };
    }
}
