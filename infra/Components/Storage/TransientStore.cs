using Platform.Infra.Aws;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>Inputs of a <see cref="TransientStore"/>.</summary>
/// <param name="Service">The owning service.</param>
/// <param name="Store">Expiry and versioning.</param>
/// <param name="BucketName">The bucket's physical name.</param>
/// <param name="Logs">The stack's log bucket.</param>
/// <param name="Region">The stack's region (grants).</param>
/// <param name="ForceDestroy">Delete the documents with the stack (stages with disposable data only).</param>
public sealed record TransientStoreArgs(string Service, TransientStoreSettings Store, string BucketName, LogBucket Logs, string Region, bool ForceDestroy);

/// <summary>
/// Documents that wait for processing (ingested after 24 hours, not needed after 48): SSE-S3, public access blocked,
/// TLS only, server access logs; current objects expire after <see cref="TransientStoreSettings.ExpireAfterDays"/> (2).
/// <para>
/// S3 lifecycle rounds every rule to the next midnight UTC and deletes expired objects asynchronously, so "2 days" means
/// between 48 and 72 hours after upload (and removal may lag further). Code that must never see a document older than
/// 48 hours checks the object's age itself (SECURITY-CONTROLS §5.4).
/// </para>
/// The ingestion pipeline uses <see cref="IStore.BucketName"/> and <see cref="IStore.BucketArn"/> (event notifications, grants).
/// </summary>
public sealed class TransientStore : StoreBase
{
    public TransientStore(ComponentScope scope, TransientStoreArgs args)
        : base(args.Service, args.Store.Name, StoreKind.TransientStore, CreateBucket(scope, args), key: null, args.Region)
    {
        Bucket.ApplyPolicy();
    }

    private static PrivateBucket CreateBucket(ComponentScope scope, TransientStoreArgs args)
    {
        var store = args.Store;
        return new PrivateBucket(scope, store.Name, new PrivateBucketArgs(
            args.BucketName,
            new BucketEncryption.S3Managed(),
            store.Versioned,
            LifecycleRules:
            [
                new BucketLifecycleConfigurationRule
                {
                    Id = "expire-documents",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    Expiration = new BucketLifecycleConfigurationRuleExpiration { Days = store.ExpireAfterDays },
                    NoncurrentVersionExpiration = store.Versioned
                        ? new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = 1 }
                        : (Input<BucketLifecycleConfigurationRuleNoncurrentVersionExpiration>?)null,
                },
                PrivateBucket.AbortIncompleteUploads(1),
            ],
            args.Logs.For(args.BucketName),
            args.ForceDestroy,
            ResourceOptions.None));
    }
}
