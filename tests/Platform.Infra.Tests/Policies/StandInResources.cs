using Platform.Infra.Model;

namespace Platform.Infra.Tests.Policies;

/// <summary>
/// aws:secretsmanager:SecretRotation is not among the generated types (the platform emits none yet); this stand-in
/// lets SecretsManager.1 be tested on both sides.
/// </summary>
internal sealed class SecretRotation(string name, Output<string> secretId, int days)
    : Resource(name, "aws:secretsmanager/secretRotation:SecretRotation", new RotationArgs(secretId, days), null, null)
{
    private sealed record RotationArgs(Output<string> SecretId, int Days) : IResourceArgs
    {
        public Value ToValue() => MapValue.From(
        [
            new("secretId", SecretId.Expression),
            new("rotationLambdaArn", new StringValue("arn:aws:lambda:eu-west-1:111111111111:function:rotate")),
            new("rotationRules", MapValue.From([new("automaticallyAfterDays", new NumberValue(Days))])),
        ]);
    }
}

/// <summary>A resource of a type the generator does not emit (yet), with literal properties, for the rules that read it.</summary>
internal sealed class UngeneratedResource(string name, string type, MapValue properties)
    : Resource(name, type, new Properties(properties), null, null)
{
    private sealed record Properties(MapValue Map) : IResourceArgs
    {
        public Value ToValue() => Map;
    }
}
