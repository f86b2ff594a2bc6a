using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Infra.Model;

namespace Platform.Infra.Settings;

/// <summary>
/// The container a service runs on ECS Fargate behind its own ALB: the <c>container</c> object and the
/// <c>usesDatabase</c> flag of a <c>platform:services</c> entry. Stage differences (cpu/memory, task counts) are
/// data in each stack file.
/// </summary>
/// <param name="Image">
/// The image to run from the service's repository: a digest (<c>sha256:…</c>) or an immutable tag. Null until the first
/// image is pushed: the stack then creates the repository, load balancer and roles, but no task definition or service,
/// so nothing waits on an image that cannot exist yet.
/// </param>
/// <param name="Port">The port the container listens on (target group, security groups, port mapping).</param>
/// <param name="Cpu">Task CPU units; with <paramref name="Memory"/> one of the Fargate combinations.</param>
/// <param name="Memory">Task memory in MiB.</param>
/// <param name="DesiredCount">Tasks at the first deployment; then autoscaling owns the count.</param>
/// <param name="MinCount">Autoscaling floor.</param>
/// <param name="MaxCount">Autoscaling ceiling.</param>
/// <param name="HealthPath">HTTP path the ALB and the container health check probe.</param>
/// <param name="Environment">Plain environment variables (never secrets: those come from Secrets Manager).</param>
/// <param name="CertificateArn">ACM certificate (same region) for the HTTPS listener; none means plain HTTP (a finding).</param>
/// <param name="User">The non-root user the container runs as (ECS.4).</param>
/// <param name="CpuTargetPercent">Average CPU the scaler aims for.</param>
/// <param name="RequestsPerTarget">ALB requests per task (per minute) the scaler aims for.</param>
/// <param name="HealthCheckGraceSeconds">Seconds a new task may fail health checks while it starts.</param>
/// <param name="KeepImages">How many images the ECR lifecycle policy keeps (untagged ones expire after a day).</param>
/// <param name="UsesDatabase">The service connects to the stack's database (<c>platform:database</c>).</param>
public sealed partial record ContainerSettings(
    string? Image,
    int Port,
    int Cpu,
    int Memory,
    int DesiredCount,
    int MinCount,
    int MaxCount,
    string HealthPath,
    IReadOnlyDictionary<string, string> Environment,
    string? CertificateArn,
    string User,
    int CpuTargetPercent,
    int RequestsPerTarget,
    int HealthCheckGraceSeconds,
    int KeepImages,
    bool UsesDatabase)
{
    /// <summary>Fargate (Linux) task sizes: CPU units → allowed memory in MiB (AWS ECS developer guide, "Task CPU and memory").</summary>
    public static readonly IReadOnlyDictionary<int, IReadOnlyList<int>> FargateSizes = new SortedDictionary<int, IReadOnlyList<int>>
    {
        [256] = [512, 1024, 2048],
        [512] = Steps(1024, 4096, 1024),
        [1024] = Steps(2048, 8192, 1024),
        [2048] = Steps(4096, 16384, 1024),
        [4096] = Steps(8192, 30720, 1024),
        [8192] = Steps(16384, 61440, 4096),
        [16384] = Steps(32768, 122880, 8192),
    };

    /// <summary>The part of its service's scope a container service takes: its resources are <c>&lt;service&gt;-app-*</c>.</summary>
    public const string PartName = "app";

    /// <summary>Environment names the platform sets itself when the service uses the database.</summary>
    public static readonly IReadOnlyList<string> DatabaseVariables = ["DB_AUTH", "DB_ENGINE", "DB_HOST", "DB_NAME", "DB_PORT", "DB_REGION", "DB_USERNAME"];

    /// <summary>The image reference in a repository: <c>repo@sha256:…</c> for a digest, <c>repo:tag</c> for a tag.</summary>
    public static string Reference(string image) => image.StartsWith("sha256:", StringComparison.Ordinal) ? $"@{image}" : $":{image}";

    /// <summary>Names that mean "a credential in plain text" (ECS.8), or that look like a secret (B15).</summary>
    private static readonly string[] SecretWords = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE_KEY", "API_KEY", "CREDENTIAL"];

    private static int[] Steps(int from, int to, int step) => Enumerable.Range(0, (to - from) / step + 1).Select(i => from + i * step).ToArray();

    /// <summary>The container of plugin discovery: every option on (HTTPS, database).</summary>
    public static ContainerSettings Discovery => new("sha256:" + new string('0', 64), 8080, 512, 1024, 2, 2, 6, "/health",
        new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
        "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000", "1000", 60, 1000, 60, 20, true);

    /// <summary>
    /// Reads <c>container</c> and <c>usesDatabase</c> of one service; null when the service runs no container.
    /// Call before the service's <see cref="ObjectReader.RejectUnknown"/>.
    /// </summary>
    internal static ContainerSettings? Read(ConfigReader reader, ObjectReader service, string serviceName, AwsSettings? aws)
    {
        var usesDatabase = service.Bool("usesDatabase", false)!.Value;
        var o = service.Object("container");
        if (!o.Present)
        {
            if (usesDatabase)
                reader.Add(service.Path("usesDatabase"), $"service '{serviceName}' uses the database but runs no container.",
                    $"add a container to the service (see docs/configuration.md), or remove {service.Path("usesDatabase")}");
            return null;
        }
        var who = $"service '{serviceName}'";
        if (usesDatabase && !reader.Has(DatabaseSettings.Key))
            reader.Add(service.Path("usesDatabase"), $"{who} uses the database, but the stack has none ({DatabaseSettings.Key} is not set).",
                $"add {DatabaseSettings.Key}: {{engine: postgres, version: \"16\", instanceClass: db.t4g.micro}} to Pulumi.{{stack}}.yaml, or remove {service.Path("usesDatabase")}");

        // The image: absent until the first push (README, "Running it for real"); then a digest or an immutable tag
        // in the repository the stack created (stack output StackOutputs.RepositoryUrl).
        var image = o.String("image", "", "sha256:<digest>") is { Length: > 0 } named ? named : null;
        var imageFix = $"push the image to the repository of stack output {StackOutputs.RepositoryUrl(serviceName)}, then {ConfigFix.Set(o.Path("image"), "sha256:<digest>")}";
        if (image is not null && image.StartsWith("sha256:", StringComparison.Ordinal) && !DigestRule().IsMatch(image))
            reader.Add(o.Path("image"), $"{who}: '{MessageMask.Shorten(image)}' is not an image digest (sha256: and 64 lower-case hex digits).", imageFix);
        else if (image is not null && !image.StartsWith("sha256:", StringComparison.Ordinal) && !TagRule().IsMatch(image))
            reader.Add(o.Path("image"), $"{who}: '{MessageMask.Shorten(image)}' is neither an image digest (sha256:<64 hex digits>) nor a tag (1-128 letters, digits, '_', '.', '-', not starting with '.' or '-'); the repository is the stack's own.", imageFix);
        else if (image is "latest")
            reader.Add(o.Path("image"), $"{who}: 'latest' names no particular image, and tags are immutable (ECR.2), so it could never be updated.", imageFix);

        var port = o.Int("port", 8080, 1, 65535, "the port the container listens on")!.Value;
        var cpu = o.Int("cpu", 256, 256, 16384, "Fargate task CPU units")!.Value;
        var memory = o.Int("memory", 512, 512, 122880, "Fargate task memory in MiB")!.Value;
        if (!FargateSizes.TryGetValue(cpu, out var memories))
            reader.Add(o.Path("cpu"), $"{who}: {cpu} is not a Fargate CPU size ({string.Join(", ", FargateSizes.Keys)}).",
                ConfigFix.Set(o.Path("cpu"), FargateSizes.Keys.MinBy(k => Math.Abs(k - cpu))));
        else if (!memories.Contains(memory))
            reader.Add(o.Path("memory"), $"{who}: {memory} MiB is not a Fargate memory size for {cpu} CPU units (allowed: {Describe(memories)}).",
                ConfigFix.Set(o.Path("memory"), memories.MinBy(m => Math.Abs(m - memory))));

        var min = o.Int("minCount", 1, 1, 1000, "fewest tasks autoscaling keeps")!.Value;
        var max = o.Int("maxCount", Math.Max(min, 4), 1, 1000, "most tasks autoscaling starts")!.Value;
        var desired = o.Int("desiredCount", min, 1, 1000, "tasks at the first deployment")!.Value;
        if (min > max)
            reader.Add(o.Path("minCount"), $"{who}: minCount {min} is larger than maxCount {max}.",
                $"{ConfigFix.Set(o.Path("maxCount"), min)} (or lower minCount)");
        else if (desired < min || desired > max)
            reader.Add(o.Path("desiredCount"), $"{who}: desiredCount {desired} is outside [minCount {min}, maxCount {max}].",
                ConfigFix.Set(o.Path("desiredCount"), Math.Clamp(desired, min, max)));

        var health = o.String("healthPath", "/health", "/health")!;
        if (!HealthPathRule().IsMatch(health))
            reader.Add(o.Path("healthPath"), $"{who}: '{health}' is not an HTTP path like /health: '/' then letters, digits and - . _ ~ / (anything else percent-encoded as %XX), at most 1024 characters; it runs inside the container's health-check command.",
                ConfigFix.Set(o.Path("healthPath"), "/health"));

        var environment = ReadEnvironment(reader, o, who, usesDatabase);

        var certificate = o.String("certificateArn", "", "arn:aws:acm:eu-west-1:111111111111:certificate/<id>");
        if (certificate is { Length: > 0 })
        {
            var match = CertificateRule().Match(certificate);
            if (!match.Success)
                reader.Add(o.Path("certificateArn"), $"{who}: '{certificate}' is not an ACM certificate ARN.",
                    ConfigFix.Set(o.Path("certificateArn"), "arn:aws:acm:<region>:<account>:certificate/<id>"));
            else if (aws is not null && match.Groups["region"].Value != aws.Region)
                reader.Add(o.Path("certificateArn"), $"{who}: the certificate is in {match.Groups["region"].Value}, but an ALB only uses ACM certificates of its own region ({aws.Region}).",
                    $"request or import the certificate in {aws.Region} and set its ARN");
        }

        var user = o.String("user", "1000", "1000")!;
        if (!UserRule().IsMatch(user) || user is "0" or "root" || user.StartsWith("0:", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal))
            reader.Add(o.Path("user"), $"{who}: '{user}' is not a non-root user (ECS.4): use a uid or name, optionally with :gid, other than 0/root.",
                ConfigFix.Set(o.Path("user"), "1000"));

        var cpuTarget = o.Int("cpuTargetPercent", 60, 10, 90, "average CPU autoscaling aims for")!.Value;
        var requests = o.Int("requestsPerTarget", 1000, 1, 100000, "ALB requests per task per minute autoscaling aims for")!.Value;
        var grace = o.Int("healthCheckGraceSeconds", 60, 0, 2147483647, "seconds a starting task may fail ALB health checks")!.Value;
        var keep = o.Int("keepImages", 20, 1, 10000, "images the ECR lifecycle policy keeps")!.Value;
        o.RejectUnknown();

        return new ContainerSettings(image, port, cpu, memory, desired, min, max, health, environment,
            certificate is { Length: > 0 } ? certificate : null, user, cpuTarget, requests, grace, keep, usesDatabase);
    }

    private static IReadOnlyDictionary<string, string> ReadEnvironment(ConfigReader reader, ObjectReader o, string who, bool usesDatabase)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var element = o.Element("environment");
        if (element is null) return result;
        var path = o.Path("environment");
        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            reader.Add(path, $"{who}: must be a map of variable name to value, not a {ObjectReader.Describe(element.Value.ValueKind)}.",
                "write it as a YAML map in Pulumi.{stack}.yaml, e.g. environment: {LOG_LEVEL: info}");
            return result;
        }
        foreach (var variable in element.Value.EnumerateObject())
        {
            var key = $"{path}.{variable.Name}";
            if (!EnvironmentNameRule().IsMatch(variable.Name))
            {
                reader.Add(key, $"{who}: '{variable.Name}' is not an environment variable name (letters, digits and '_', not starting with a digit).", "rename it in Pulumi.{stack}.yaml");
                continue;
            }
            var upper = variable.Name.ToUpperInvariant();
            if (upper is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" or "AWS_SESSION_TOKEN" or "ECS_ENGINE_AUTH_DATA")
            {
                // Never echo the value: it may be a real credential.
                reader.Add(key, $"{who}: AWS credentials must never be set in a container's environment (ECS.8); the task role provides them.",
                    "remove it from Pulumi.{stack}.yaml and grant the task role what the service needs");
                continue;
            }
            if (SecretWords.Any(w => upper.Contains(w, StringComparison.Ordinal)))
            {
                reader.Add(key, $"{who}: '{variable.Name}' looks like a secret, and environment values are written in plain text into the task definition (ECS.8).",
                    "keep secrets in Secrets Manager (a service with usesDatabase: true logs in with IAM authentication and needs no password); remove it from Pulumi.{stack}.yaml");
                continue;
            }
            if (usesDatabase && DatabaseVariables.Contains(upper, StringComparer.Ordinal))
            {
                reader.Add(key, $"{who}: {variable.Name} is set by the platform for services that use the database.", "remove it from Pulumi.{stack}.yaml");
                continue;
            }
            var value = variable.Value.ValueKind switch
            {
                JsonValueKind.String => variable.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => variable.Value.GetRawText(),
                _ => null,
            };
            if (value is null)
                reader.Add(key, $"{who}: must be a string, number or boolean.", "quote the value in Pulumi.{stack}.yaml");
            else result[variable.Name] = value;
        }
        return result;
    }

    private static string Describe(IReadOnlyList<int> memories) =>
        memories.Count <= 4 ? string.Join(", ", memories) : $"{memories[0]} to {memories[^1]} in steps of {memories[1] - memories[0]}";


    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestRule();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagRule();

    // URL path characters that mean nothing to a shell: the path is part of the container's CMD-SHELL health check.
    [GeneratedRegex("^/(?:[A-Za-z0-9/._~-]|%[0-9A-Fa-f]{2}){0,1023}$")]
    private static partial Regex HealthPathRule();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentNameRule();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$")]
    private static partial Regex UserRule();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:acm:(?<region>[a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateRule();
}
