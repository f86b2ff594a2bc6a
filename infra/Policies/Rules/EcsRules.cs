using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>ECS (Fargate) controls. Container definitions are a JSON document (<c>fn::toJSON</c> of a list): each is inspected.</summary>
public static class EcsRules
{
    private static IEnumerable<(Node Task, MapValue Container)> Containers(PolicyContext c) =>
        c.OfType("aws:ecs:TaskDefinition").SelectMany(t => V.Items(V.Document(t["containerDefinitions"])).OfType<MapValue>().Select(d => (t, d)));

    private static string Named(MapValue container) => V.Str(container["name"]) is { } n ? $"container '{n}'" : "a container";

    private static IEnumerable<Violation> PerContainer(PolicyContext c, Func<MapValue, bool> bad, string problem, string fix) =>
        Containers(c).Where(x => bad(x.Container))
            .GroupBy(x => x.Task.Name, StringComparer.Ordinal)
            .Select(g => g.First().Task.Violation($"{string.Join(", ", g.Select(x => Named(x.Container)))}: {problem}", fix));

    private static readonly string[] ForbiddenEnvironment = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];

    public static IEnumerable<Rule> All =>
    [
        new("ECS.1", Severity.High, "A task definition with networkMode host runs no privileged container and none as root.", Rule.Mandatory, c =>
            c.OfType("aws:ecs:TaskDefinition").Where(t => V.Str(t["networkMode"]) == "host" &&
                    V.Items(V.Document(t["containerDefinitions"])).OfType<MapValue>().Any(d => V.IsTrue(d["privileged"]) || V.Str(d["user"]) is null or "root" or "0"))
                .Select(t => t.Violation("uses host networking with a privileged or root container.", "use networkMode: awsvpc (Fargate), or run containers unprivileged as a non-root user"))),

        new("ECS.2", Severity.High, "No service assigns public IPs (networkConfiguration.assignPublicIp is not true).", Rule.Mandatory, c =>
            c.OfType("aws:ecs:Service").Where(s => V.IsTrue(s["networkConfiguration.assignPublicIp"]))
                .Select(s => s.Violation("gives its tasks public IP addresses.", "set networkConfiguration.assignPublicIp: false and use the private subnets (egress through NAT)"))),

        new("ECS.3", Severity.High, "No task definition shares the host's process namespace (pidMode host).", Rule.Mandatory, c =>
            c.OfType("aws:ecs:TaskDefinition").Where(t => V.Str(t["pidMode"]) == "host")
                .Select(t => t.Violation("shares the host's process namespace.", "remove pidMode (or set it to task)"))),

        new("ECS.4", Severity.High, "No container is privileged.", Rule.Mandatory, c =>
            PerContainer(c, d => V.IsTrue(d["privileged"]), "runs privileged.", "remove \"privileged\": true from the container definition")),

        new("ECS.5", Severity.High, "Every container has a read-only root filesystem (readonlyRootFilesystem true).", Rule.Mandatory, c =>
            PerContainer(c, d => !V.IsTrue(d["readonlyRootFilesystem"]), "has a writable root filesystem.",
                "set \"readonlyRootFilesystem\": true; mount a volume for paths the app writes (e.g. /tmp)")),

        new("ECS.8", Severity.High, "No container passes AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ECS_ENGINE_AUTH_DATA) as plain environment variables.", Rule.Mandatory, c =>
            PerContainer(c, d => V.Items(d["environment"]).OfType<MapValue>().Any(e => ForbiddenEnvironment.Contains(V.Str(e["name"]))),
                "passes AWS credentials in plain environment variables.",
                "remove them: the task role provides credentials; other secrets go in \"secrets\": [{name, valueFrom: <Secrets Manager ARN>}]")),

        new("ECS.9", Severity.High, "Every container has a logConfiguration with a logDriver.", Rule.Mandatory, c =>
            PerContainer(c, d => V.At(d, "logConfiguration.logDriver") is null, "has no log configuration.",
                "set \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\", \"awslogs-region\", \"awslogs-stream-prefix\"}}")),

        new("ECS.10", Severity.Medium, "Fargate services run on the LATEST platform version (platformVersion unset or LATEST).", Rule.Mandatory, c =>
            c.OfType("aws:ecs:Service").Where(s => V.Str(s["platformVersion"]) is { } v && v != "LATEST")
                .Select(s => s.Violation($"pins Fargate platform version {V.Str(s["platformVersion"])}, which misses security patches.", "remove platformVersion (or set LATEST)"))),

        new("ECS.12", Severity.Medium, "Clusters have Container Insights (settings containerInsights enabled or enhanced).", Rule.Advisory, c =>
            c.OfType("aws:ecs:Cluster").Where(k => !V.Items(k["settings"]).OfType<MapValue>()
                    .Any(s => V.Str(s["name"]) == "containerInsights" && V.Str(s["value"]) is "enabled" or "enhanced"))
                .Select(k => k.Violation("has no Container Insights.", "set settings: [{name: containerInsights, value: enabled}]"))),

        new("PLATFORM.ECS.1", Severity.Medium, "Services roll back a failed deployment: deploymentCircuitBreaker {enable: true, rollback: true}.", Rule.Mandatory, c =>
            c.OfType("aws:ecs:Service").Where(s => !(V.IsTrue(s["deploymentCircuitBreaker.enable"]) && V.IsTrue(s["deploymentCircuitBreaker.rollback"])))
                .Select(s => s.Violation("keeps launching failing tasks after a bad deployment.", "set deploymentCircuitBreaker: {enable: true, rollback: true}"))),

        new("PLATFORM.ECS.2", Severity.Medium, "Services run at least 2 tasks in protected stages (desiredCount >= 2), across at least 2 subnets.", Rule.WhereProtected, c =>
            c.OfType("aws:ecs:Service").Where(s => V.Num(s["desiredCount"]) is not >= 2 || (s["networkConfiguration.subnets"] is ListValue l && l.Items.Count < 2))
                .Select(s => s.Violation("runs a single task (or in a single subnet): one AZ failure takes it down.", "set desiredCount: 2 or more and networkConfiguration.subnets in 2+ AZs"))),
    ];
}
