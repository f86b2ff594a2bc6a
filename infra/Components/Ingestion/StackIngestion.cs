using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Ingestion;

/// <summary>
/// The ingestion pipelines of every service (<c>platform:services.&lt;service&gt;.ingestion</c>), each in a child scope of
/// its service (<c>&lt;service&gt;-&lt;pipeline&gt;-*</c>), and one notification configuration per bucket that feeds any
/// (S3 keeps one per bucket; the settings refuse overlapping filters). Exports each pipeline's queue URL, dead-letter
/// queue URL and function name.
/// </summary>
public sealed class StackIngestion
{
    private StackIngestion(IReadOnlyList<IngestionPipeline> pipelines) => Pipelines = pipelines;

    /// <summary>Every pipeline of the stack, by service in settings order.</summary>
    public IReadOnlyList<IngestionPipeline> Pipelines { get; }

    public static StackIngestion Create(StackContext stack, StackSettings settings, StackStorage storage, LogGroups logs)
    {
        var all = new List<IngestionPipeline>();
        foreach (var service in settings.Services.Where(s => s.Ingestion.Count > 0))
        {
            var scope = new ComponentScope(stack, service.Name, service.Tags);
            var pipelines = service.Ingestion.Select(p =>
            {
                var store = storage.For(service.Name).Single(s => s.Name == p.Store);
                var storeSettings = service.Stores.OfType<TransientStoreSettings>().Single(s => s.Name == p.Store);
                var pipeline = new IngestionPipeline(scope.Child(p.Name), new IngestionPipelineArgs(service.Name, p, store, storeSettings, settings.Profile, settings.Aws, logs));
                stack.Template.Export(StackOutputs.QueueUrl(service.Name, p.Name), pipeline.Queue.Url);
                stack.Template.Export(StackOutputs.DeadLetterQueueUrl(service.Name, p.Name), pipeline.DeadLetterQueue.Url);
                stack.Template.Export(StackOutputs.FunctionName(service.Name, p.Name), pipeline.FunctionName);
                return pipeline;
            }).ToList();

            foreach (var bucket in pipelines.GroupBy(p => p.Store))
            {
                var transient = bucket.Key as TransientStore
                    ?? throw new InvalidOperationException($"{service.Name}/{bucket.Key.Name}: only transient stores feed ingestion (the settings check this).");
                transient.Bucket.NotifyQueues([.. bucket.Select(p => p.Destination)], [.. bucket.SelectMany(p => p.ReadyForNotifications)]);
            }
            all.AddRange(pipelines);
        }
        return new StackIngestion(all);
    }
}
