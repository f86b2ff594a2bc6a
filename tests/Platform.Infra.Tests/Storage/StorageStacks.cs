using System.Text.Json;
using Moq;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Shared stack configs and evaluation helpers of the storage (and ingestion) tests.</summary>
public static class StorageStacks
{
    public const string Services = """
        {"web-a":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},
         "signatures":{"dataClassification":"restricted","stores":[{"kind":"secureStore","name":"images"}]},
         "documents":{"dataClassification":"confidential","stores":[{"kind":"transientStore","name":"inbox"}]}}
        """;

    public static Template Template(Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c["platform:services"] = Services;
        change?.Invoke(c);
    });

    /// <summary>Changes one field of a store: Store(c, "web-a", 0, "aliases", new[] {...}).</summary>
    public static void Store(Dictionary<string, string> config, string service, int index, string field, object? value) =>
        SetItem(config, Services, service, "stores", index, [(field, value)]);

    /// <summary>
    /// Sets fields of item <paramref name="index"/> of a service's list (<c>stores</c>, <c>ingestion</c>) in
    /// <c>platform:services</c> (<paramref name="services"/> when the config has none); a null value removes the field,
    /// a missing item is added.
    /// </summary>
    public static void SetItem(Dictionary<string, string> config, string services, string service, string list, int index, IEnumerable<(string Field, object? Value)> fields)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(config.GetValueOrDefault("platform:services") ?? services)!.AsObject();
        var items = root[service]![list]!.AsArray();
        while (items.Count <= index) items.Add(new System.Text.Json.Nodes.JsonObject());
        var item = items[index]!.AsObject();
        foreach (var (field, value) in fields)
        {
            if (value is null) item.Remove(field);
            else item[field] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(value));
        }
        config["platform:services"] = root.ToJsonString();
    }

    /// <summary>Fake outputs of deployed resources, shaped like the real ARNs (queues, log groups: from their names).</summary>
    public static Evaluator Evaluator(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:s3/bucket:Bucket", "arn") => $"arn:aws:s3:::{name}",
            ("aws:s3/bucket:Bucket", "id" or "bucket") => name,
            ("aws:cloudfront/distribution:Distribution", "arn") => $"arn:aws:cloudfront::111111111111:distribution/{name}",
            ("aws:kms/key:Key", "arn") => $"arn:aws:kms:eu-west-1:111111111111:key/{name}",
            ("aws:iam/role:Role", "arn") => $"arn:aws:iam::111111111111:role/{name}",
            ("aws:sns/topic:Topic", "arn") => $"arn:aws:sns:eu-west-1:111111111111:{name}",
            ("aws:sqs/queue:Queue", "arn") => $"arn:aws:sqs:eu-west-1:111111111111:{template.Get(name).Text("name")}",
            ("aws:sqs/queue:Queue", "url") => $"https://sqs.eu-west-1.amazonaws.com/111111111111/{template.Get(name).Text("name")}",
            ("aws:cloudwatch/logGroup:LogGroup", "arn") => $"arn:aws:logs:eu-west-1:111111111111:log-group:{template.Get(name).Text("name")}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }

    public static IReadOnlyList<JsonElement> Statements(Evaluator evaluator, IEnumerable<PolicyStatement> statements) =>
        evaluator.Json(FunctionValue.ToJson(new PolicyDocument(statements.ToArray()).ToValue())).GetProperty("Statement").EnumerateArray().ToList();

    public static IReadOnlyList<JsonElement> PolicyOf(Template template, string resource) =>
        StorageStacks.Evaluator(template).Json(template.Get(resource).Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();

    public static string[] Strings(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [e.GetString()!];

    public static JsonElement Sid(IEnumerable<JsonElement> statements, string sid) => Assert.Single(statements, s => s.TryGetProperty("Sid", out var v) && v.GetString() == sid);
}
