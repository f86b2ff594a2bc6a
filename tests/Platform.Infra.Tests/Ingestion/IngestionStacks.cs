using System.Text.Json;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Stack configs of the ingestion tests (policies are evaluated with <see cref="StorageStacks.Evaluator"/>).</summary>
public static class IngestionStacks
{
    /// <summary>The documents service of the checked-in stacks: one transient store, one pipeline on its defaults.</summary>
    public const string Services = """
        {"documents":{"dataClassification":"confidential","stores":[{"kind":"transientStore","name":"inbox"}],
                      "ingestion":[{"store":"inbox"}]}}
        """;

    public const string Bucket = "arn:aws:s3:::documents-inbox-bucket";
    public const string Key = "arn:aws:kms:eu-west-1:111111111111:key/documents-inbox-ingest-key";
    public const string Queue = "arn:aws:sqs:eu-west-1:111111111111:platform-test-documents-inbox-ingest-queue";
    public const string RoleArn = "arn:aws:iam::111111111111:role/documents-inbox-ingest-role";

    public static Template Template(Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c["platform:services"] = Services;
        change?.Invoke(c);
    });

    /// <summary>Sets fields of the pipeline at <paramref name="index"/> of the documents service (store inbox unless a field says otherwise; a null value removes the field).</summary>
    public static void Pipeline(Dictionary<string, string> config, int index, params (string Field, object? Value)[] fields) =>
        StorageStacks.SetItem(config, Services, "documents", "ingestion", index, [("store", "inbox"), .. fields]);

    /// <summary>A JSON-document property other than <c>policy</c>, e.g. a redrive policy, evaluated.</summary>
    public static JsonElement Json(Template template, string resource, string property) =>
        StorageStacks.Evaluator(template).Json(template.Get(resource).Prop(property)!);
}
