using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// The stack's storage: the log bucket, and every store of every service of <c>platform:services</c>, each in the
/// service's scope (tags Service and DataClassification on top of the default tags). Stage differences come from the
/// stage profile: log expiry (logRetentionDays), protect/retainOnDelete (protect), forceDestroy (disposableData).
/// </summary>
public sealed class StackStorage
{
    private readonly Dictionary<string, IReadOnlyList<IStore>> _stores = new(StringComparer.Ordinal);

    /// <param name="edgeWebAcl">The stack's CloudFront-scoped web ACL, for static sites that name none of their own.</param>
    public StackStorage(StackContext stack, StackSettings settings, Output<string>? edgeWebAcl = null)
    {
        var profile = settings.Profile;
        var aws = settings.Aws;
        // The log bucket holds the stores' access logs: a stack without services has no writer for it.
        if (settings.Services.Count == 0) return;
        Logs = new LogBucket(new ComponentScope(stack, ComponentNames.Logs), new LogBucketArgs(
            $"{settings.Project}-{settings.Stack}-logs-{aws.AccountId}", profile.LogRetentionDays, profile.Protect, profile.DisposableData, aws,
            AlbLogs: settings.Services.Any(s => s.Container is not null),
            CloudFrontLogs: settings.Services.Any(s => s.Stores.Any(store => store.Kind == StoreKind.StaticSite))));
        stack.Template.Export(StackOutputs.LogBucketName, Logs.BucketName);

        foreach (var service in settings.Services)
        {
            var scope = new ComponentScope(stack, service.Name, service.Tags);
            var stores = new List<IStore>();
            foreach (var store in service.Stores)
            {
                var bucketName = BucketNames.Compose(settings.Project, settings.Stack, service.Name, store.Name, aws.AccountId);
                StoreArgs<T> Args<T>(T kind) where T : StoreSettings => new(service.Name, kind, bucketName, Logs!, aws, profile.Protect, profile.DisposableData);
                StoreBase created = store switch
                {
                    StaticSiteSettings s => new StaticSite(scope, Args(s), edgeWebAcl),
                    SecureStoreSettings s => new SecureStore(scope, Args(s)),
                    TransientStoreSettings s => new TransientStore(scope, Args(s)),
                    _ => throw new InvalidOperationException($"No component for store kind {store.Kind}."),
                };
                stores.Add(created);

                stack.Template.Export(StackOutputs.BucketName(service.Name, store.Name), created.BucketName);
                stack.Template.Export(StackOutputs.BucketArn(service.Name, store.Name), created.BucketArn);
                if (created is StaticSite site)
                {
                    stack.Template.Export(StackOutputs.DistributionId(service.Name, store.Name), site.Distribution.Id);
                    stack.Template.Export(StackOutputs.DomainName(service.Name, store.Name), site.Distribution.DomainName);
                }
            }
            _stores[service.Name] = stores;
        }
    }

    /// <summary>The stack's log bucket (null when the stack has no services).</summary>
    public LogBucket? Logs { get; }

    /// <summary>The stores of a service (empty when it owns none), for its roles' grants.</summary>
    public IReadOnlyList<IStore> For(string service) => _stores.GetValueOrDefault(service) ?? [];

    /// <summary>The grants of a service's own roles on every store it owns, as each store's kind decides (<see cref="IStore.GrantOwner"/>).</summary>
    public IReadOnlyList<PolicyStatement> OwnerGrants(string service) => [.. For(service).SelectMany(s => s.GrantOwner())];

    public static StackStorage Create(StackContext stack, StackSettings settings, Output<string>? edgeWebAcl = null) => new(stack, settings, edgeWebAcl);
}
