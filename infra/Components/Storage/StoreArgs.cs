using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>Inputs of a store of any kind: its settings and where it lives.</summary>
/// <param name="Service">The owning service.</param>
/// <param name="Store">The store's settings (its kind's options).</param>
/// <param name="BucketName">The bucket's physical name (<see cref="BucketNames.Compose"/>).</param>
/// <param name="Logs">The stack's log bucket (server access logs; CloudFront standard logs of a static site).</param>
/// <param name="Aws">Account, region and partition (key policy, <c>kms:ViaService</c> of the grants).</param>
/// <param name="Protect">Protect and retain the store's stateful resources (stages that protect their data).</param>
/// <param name="ForceDestroy">Delete the objects with the stack (stages with disposable data only).</param>
public sealed record StoreArgs<TSettings>(string Service, TSettings Store, string BucketName, LogBucket Logs, AwsSettings Aws, bool Protect, bool ForceDestroy)
    where TSettings : StoreSettings;
