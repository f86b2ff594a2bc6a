using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>
/// One container of an ECS task definition, as the JSON object <c>containerDefinitions</c> holds (ECS developer guide,
/// "Task definition parameters"), with the platform's fixed choices: essential, never privileged (ECS.4), a read-only
/// root filesystem (ECS.5) with a writable <c>/tmp</c> volume, logs to CloudWatch Logs (ECS.9), and secrets only by
/// ARN (ECS.8). Pure data: unit-testable without a template.
/// </summary>
/// <param name="Name">The container name (the service's name; the load balancer targets it).</param>
/// <param name="Image">The image reference (may hold outputs, e.g. the repository URL).</param>
/// <param name="User">The non-root user (uid or name, optionally :gid).</param>
/// <param name="LogGroup">The log group the awslogs driver writes to.</param>
/// <param name="Region">The log group's region.</param>
public sealed record ContainerDefinition(string Name, Output<string> Image, string User, Output<string> LogGroup, string Region)
{
    /// <summary>The task volume the container's <c>/tmp</c> is mounted from.</summary>
    public const string TmpVolume = "tmp";

    /// <summary>Plain environment variables, written sorted by name.</summary>
    public IReadOnlyList<(string Name, Value Value)> Environment { get; init; } = [];

    /// <summary>Variables ECS fills from Secrets Manager at task start: name → <c>valueFrom</c> (a secret ARN with its JSON key).</summary>
    public IReadOnlyList<(string Name, Output<string> ValueFrom)> Secrets { get; init; } = [];

    /// <summary>The TCP port the container listens on, if any.</summary>
    public int? Port { get; init; }

    /// <summary>A shell command ECS runs to check the container's health, with the grace it has after start.</summary>
    public (string Command, int StartPeriodSeconds)? HealthCheck { get; init; }

    /// <summary>Entry point and command, for a container that runs a script instead of its image's default.</summary>
    public IReadOnlyList<string>? EntryPoint { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The definitions as the <c>containerDefinitions</c> input: a JSON string through fn::toJSON.</summary>
    public static Input<string> ToJson(params ContainerDefinition[] containers) =>
        Input<string>.FromValue(FunctionValue.ToJson(new ListValue(containers.Select(c => (Value)c.ToValue()).ToArray())));

    public MapValue ToValue() => MapValue.From(
    [
        new("name", new StringValue(Name)),
        new("image", Image.Expression),
        new("essential", new BoolValue(true)),
        new("user", new StringValue(User)),
        new("privileged", new BoolValue(false)),
        new("readonlyRootFilesystem", new BoolValue(true)),
        new("entryPoint", EntryPoint is null ? null : Strings(EntryPoint)),
        new("command", Command is null ? null : Strings(Command)),
        new("mountPoints", new ListValue([MapValue.From(
        [
            new("sourceVolume", new StringValue(TmpVolume)),
            new("containerPath", new StringValue("/tmp")),
            new("readOnly", new BoolValue(false)),
        ])])),
        new("portMappings", Port is not { } port ? null : new ListValue([MapValue.From(
        [
            new("containerPort", new NumberValue(port)),
            new("hostPort", new NumberValue(port)),
            new("protocol", new StringValue("tcp")),
        ])])),
        new("environment", new ListValue(Environment.OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => (Value)MapValue.From([new("name", new StringValue(e.Name)), new("value", e.Value)])).ToArray())),
        new("secrets", Secrets.Count == 0 ? null : new ListValue(Secrets
            .Select(s => (Value)MapValue.From([new("name", new StringValue(s.Name)), new("valueFrom", s.ValueFrom.Expression)])).ToArray())),
        new("logConfiguration", MapValue.From(
        [
            new("logDriver", new StringValue("awslogs")),
            new("options", MapValue.From(
            [
                new("awslogs-group", LogGroup.Expression),
                new("awslogs-region", new StringValue(Region)),
                new("awslogs-stream-prefix", new StringValue(Name)),
            ])),
        ])),
        new("healthCheck", HealthCheck is not { } check ? null : MapValue.From(
        [
            new("command", new ListValue([new StringValue("CMD-SHELL"), new StringValue(check.Command)])),
            new("interval", new NumberValue(30)),
            new("timeout", new NumberValue(5)),
            new("retries", new NumberValue(3)),
            new("startPeriod", new NumberValue(check.StartPeriodSeconds)),
        ])),
    ]);

    private static ListValue Strings(IEnumerable<string> items) => new(items.Select(s => (Value)new StringValue(s)).ToArray());
}
