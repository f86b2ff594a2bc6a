using System.Text.Json;
using System.Text.Json.Nodes;
using Moq;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Stack configs of the ingestion tests and the fake outputs their policies are evaluated with.</summary>
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

    /// <summary>Sets fields of the pipeline at <paramref name="index"/> of the documents service (a null value removes the field).</summary>
    public static void Pipeline(Dictionary<string, string> config, int index, params (string Field, object? Value)[] fields)
    {
        var root = JsonNode.Parse(config.GetValueOrDefault("platform:services") ?? Services)!.AsObject();
        var list = root["documents"]!["ingestion"]!.AsArray();
        while (list.Count <= index) list.Add(new JsonObject { ["store"] = "inbox" });
        var pipeline = list[index]!.AsObject();
        foreach (var (field, value) in fields)
        {
            if (value is null) pipeline.Remove(field);
            else pipeline[field] = JsonNode.Parse(JsonSerializer.Serialize(value));
        }
        config["platform:services"] = root.ToJsonString();
    }

    /// <summary>Fake outputs of deployed resources, shaped like the real ones (ARNs, queue URLs, names).</summary>
    public static Evaluator Evaluator(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:s3/bucket:Bucket", "arn") => $"arn:aws:s3:::{name}",
            ("aws:s3/bucket:Bucket", "id" or "bucket") => name,
            ("aws:kms/key:Key", "arn") => $"arn:aws:kms:eu-west-1:111111111111:key/{name}",
            ("aws:iam/role:Role", "arn") => $"arn:aws:iam::111111111111:role/{name}",
            ("aws:sqs/queue:Queue", "arn") => $"arn:aws:sqs:eu-west-1:111111111111:{Physical(template, name)}",
            ("aws:sqs/queue:Queue", "url") => $"https://sqs.eu-west-1.amazonaws.com/111111111111/{Physical(template, name)}",
            ("aws:cloudwatch/logGroup:LogGroup", "arn") => $"arn:aws:logs:eu-west-1:111111111111:log-group:{Physical(template, name)}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }

    private static string Physical(Template template, string resource) => template.Get(resource).Text("name")!;

    public static IReadOnlyList<JsonElement> PolicyOf(Template template, string resource) =>
        Evaluator(template).Json(template.Get(resource).Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();

    /// <summary>The statements of a JSON-document property other than <c>policy</c>, e.g. a redrive policy.</summary>
    public static JsonElement Json(Template template, string resource, string property) =>
        Evaluator(template).Json(template.Get(resource).Prop(property)!);
}
