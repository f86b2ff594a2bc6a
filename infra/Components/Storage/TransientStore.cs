using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// Documents that wait for processing (ingested after 24 hours, not needed after 48): SSE-S3, public access blocked,
/// TLS only, server access logs; current objects expire after <see cref="TransientStoreSettings.ExpireAfterDays"/> (2).
/// <para>
/// S3 lifecycle rounds every rule to the next midnight UTC and deletes expired objects asynchronously, so "2 days" means
/// between 48 and 72 hours after upload (and removal may lag further). Code that must never see a document older than
/// 48 hours checks the object's age itself (S3 User Guide, "Lifecycle expiration").
/// </para>
/// The ingestion pipeline uses <see cref="IStore.BucketName"/> and <see cref="IStore.BucketArn"/> (event notifications, grants).
/// </summary>
public sealed class TransientStore : StoreBase
{
    public TransientStore(ComponentScope scope, StoreArgs<TransientStoreSettings> args)
        : base(args.Service, args.Store.Name, StoreKind.TransientStore, CreateBucket(scope, args), key: null, args.Aws.Region)
    {
        Bucket.ApplyPolicy();
    }

    private static PrivateBucket CreateBucket(ComponentScope scope, StoreArgs<TransientStoreSettings> args)
    {
        var store = args.Store;
        return new PrivateBucket(scope, store.Name, new PrivateBucketArgs(
            args.BucketName,
            new BucketEncryption.S3Managed(),
            store.Versioned,
            LifecycleRules:
            [
                PrivateBucket.ExpireAfter("expire-documents", store.ExpireAfterDays) with
                {
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
