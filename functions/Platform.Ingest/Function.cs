using System.Text.Json;
using Amazon.S3;

namespace Platform.Ingest;

/// <summary>
/// The Lambda function: handler <c>Platform.Ingest::Platform.Ingest.Function::HandleAsync</c> on the managed
/// <c>dotnet10</c> runtime. It takes the SQS batch as a raw JSON stream and returns the partial batch response as
/// one, so it needs no Amazon.Lambda.* package and no serializer attribute
/// (https://docs.aws.amazon.com/lambda/latest/dg/csharp-handler.html). The runtime creates one instance per
/// execution environment through the parameterless constructor, during the init phase.
/// </summary>
public sealed class Function
{
    private readonly DocumentProcessor processor;
    private readonly IngestLog log;

    public Function()
        : this(IngestSettings.FromEnvironment(Environment.GetEnvironmentVariable), new S3DocumentStore(new AmazonS3Client()), IngestLog.Stdout(), TimeProvider.System)
    {
    }

    internal Function(IngestSettings settings, IDocumentStore store, IngestLog log, TimeProvider clock)
    {
        processor = new DocumentProcessor(settings, store, log, clock);
        this.log = log;
    }

    /// <summary>
    /// Ingests every message of the batch and reports the ones to retry as
    /// <c>{"batchItemFailures":[{"itemIdentifier":"&lt;messageId&gt;"}]}</c> (the event source mapping needs
    /// <c>FunctionResponseTypes: [ReportBatchItemFailures]</c>). Throws only when the input is not an SQS batch
    /// at all, which fails the whole invocation.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        SqsBatch? batch;
        try
        {
            batch = await JsonSerializer.DeserializeAsync(input, EventJson.Default.SqsBatch);
        }
        catch (JsonException e)
        {
            throw Invalid($"the event is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        if (batch?.Records is not { } messages)
            throw Invalid("the event has no Records: the function takes SQS batches from an event source mapping");
        if (messages.Any(m => string.IsNullOrEmpty(m.MessageId)))
            throw Invalid("a record has no messageId, so its failure could not be reported");

        var failures = new List<BatchItemFailure>();
        foreach (var message in messages)
        {
            if (!await processor.ProcessMessageAsync(message))
                failures.Add(new BatchItemFailure(message.MessageId!));
        }
        log.Info("batch.done", ("messages", messages.Count), ("failed", failures.Count));

        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, new BatchResponse(failures), EventJson.Default.BatchResponse);
        output.Position = 0;
        return output;
    }

    private InvalidDataException Invalid(string reason)
    {
        log.Error("batch.invalid", ("reason", reason));
        return new InvalidDataException(reason);
    }
}
