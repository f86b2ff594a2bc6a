using Moq;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>The stack of the container service tests: an API that uses the database, a worker, a static site; and how to read its references.</summary>
internal static class ServiceStacks
{
    internal const string Certificate = "arn:aws:acm:eu-west-1:111111111111:certificate/0f0e0d0c-0000-1111-2222-333333333333";

    /// <summary>
    /// An API that uses the database, a worker that does not, and a static site (its CloudFront logs are why the
    /// stack log bucket keeps ACLs, which S3.12 exempts only then).
    /// </summary>
    internal static readonly string Services = $$$"""
        {
          "web": {"dataClassification": "public", "stores": [{"kind": "staticSite"}]},
          "api": {"dataClassification": "confidential", "stores": [{"kind": "secureStore", "name": "files"}], "usesDatabase": true,
                  "container": {"image": "1.2.3", "port": 8080, "cpu": 512, "memory": 1024, "desiredCount": 2, "minCount": 2, "maxCount": 6,
                                "healthPath": "/healthz", "environment": {"LOG_LEVEL": "info"}, "certificateArn": "{{{Certificate}}}"}},
          "worker": {"dataClassification": "internal", "stores": [{"kind": "transientStore"}],
                     "container": {"image": "sha256:2f0e5c1d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "port": 9000, "certificateArn": "{{{Certificate}}}", "minCount": 2}}
        }
        """;

    internal static Template Stack(Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c[DatabaseSettings.Key] = DatabaseTests.Postgres;
        c[ServiceSettings.Key] = Services;
        change?.Invoke(c);
    });

    /// <summary>Fake deployed outputs: every ARN-like output is <c>arn:fake:&lt;resource&gt;/&lt;path&gt;</c>.</summary>
    internal static Evaluator Evaluate(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>();
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>()))
            .Returns((string resource, string _, string path) => $"arn:fake:{resource}/{path}");
        return new Evaluator(template, outputs.Object);
    }

    internal static string? Ref(Value? value) => value switch
    {
        ReferenceValue r => r.Expression,
        null => null,
        _ => throw new Xunit.Sdk.XunitException($"{value} is not a reference"),
    };

    internal static List<string?> Refs(Value? list) => ((ListValue)list!).Items.Select(Ref).ToList();
}
