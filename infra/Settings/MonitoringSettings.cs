using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>How loudly a stage alerts: the default thresholds of every alarm (<see cref="AlarmThreshold"/>).</summary>
public enum AlarmPreset
{
    /// <summary>Thresholds for stages whose users notice an outage.</summary>
    Standard,

    /// <summary>Higher thresholds for throw-away stages: they still alert, only on clearer trouble.</summary>
    Quiet,
}

/// <summary>
/// One alarm threshold as data: its key under <c>platform:monitoring.thresholds</c>, its unit, the range a value may
/// take (checked, so that a typo such as 500 for a percentage is refused), and the default of each preset.
/// </summary>
public sealed record AlarmThreshold(string Key, string Unit, double Min, double Max, double Standard, double Quiet, string What)
{
    public double Default(AlarmPreset preset) => preset == AlarmPreset.Quiet ? Quiet : Standard;

    // ALB (per container service), AWS/ApplicationELB.
    public static readonly AlarmThreshold AlbTarget5xxPercent = new("albTarget5xxPercent", "%", 0.1, 100, 5, 10, "share of requests the targets answer with 5xx, in 2 of 3 five-minute periods");
    public static readonly AlarmThreshold AlbResponseTimeSeconds = new("albResponseTimeSeconds", "s", 0.01, 60, 1, 3, "p99 target response time, in 2 of 3 five-minute periods");
    public static readonly AlarmThreshold AlbUnhealthyHosts = new("albUnhealthyHosts", "targets", 1, 1000, 1, 1, "unhealthy targets, for 5 minutes");

    // ECS (per service with an image), AWS/ECS.
    public static readonly AlarmThreshold EcsCpuPercent = new("ecsCpuPercent", "%", 1, 100, 80, 90, "average CPU of the service's tasks, over 15 minutes");
    public static readonly AlarmThreshold EcsMemoryPercent = new("ecsMemoryPercent", "%", 1, 100, 80, 90, "average memory of the service's tasks, over 15 minutes");

    // RDS (the stack's database), AWS/RDS.
    public static readonly AlarmThreshold RdsCpuPercent = new("rdsCpuPercent", "%", 1, 100, 80, 90, "average CPU of the instance, over 15 minutes");
    public static readonly AlarmThreshold RdsFreeStorageGb = new("rdsFreeStorageGb", "GiB", 1, 65536, 5, 2, "free storage below this (storage autoscaling normally adds space first)");
    public static readonly AlarmThreshold RdsConnections = new("rdsConnections", "connections", 1, 100000, 400, 500, "open connections, in 2 of 3 five-minute periods; set it to about 80 % of the instance class's max_connections");

    // SQS (queues the lead wires through Monitoring.WatchQueue), AWS/SQS.
    public static readonly AlarmThreshold SqsOldestMessageSeconds = new("sqsOldestMessageSeconds", "s", 60, 1209600, 900, 3600, "age of the oldest message of a work queue, in 2 of 3 five-minute periods");
    public static readonly AlarmThreshold SqsDeadLetterMessages = new("sqsDeadLetterMessages", "messages", 0, 100000, 0, 0, "messages in a dead-letter queue above this");

    // Lambda (functions wired through Monitoring.WatchFunction), AWS/Lambda.
    public static readonly AlarmThreshold LambdaErrors = new("lambdaErrors", "errors", 0, 100000, 0, 5, "failed invocations in 5 minutes above this");
    public static readonly AlarmThreshold LambdaThrottles = new("lambdaThrottles", "throttles", 0, 100000, 0, 5, "throttled invocations in 5 minutes above this");
    public static readonly AlarmThreshold LambdaDurationPercentOfTimeout = new("lambdaDurationPercentOfTimeout", "% of timeout", 1, 100, 80, 90, "p99 duration as a share of the function's timeout");

    // CloudFront (static sites), AWS/CloudFront in us-east-1.
    public static readonly AlarmThreshold CloudFront5xxPercent = new("cloudFront5xxPercent", "%", 0.1, 100, 5, 10, "share of viewer requests answered with 5xx, in 2 of 3 five-minute periods");

    // NAT gateways (the network), AWS/NATGateway.
    public static readonly AlarmThreshold NatPortAllocationErrors = new("natPortAllocationErrors", "errors", 0, 100000, 0, 10, "failed source-port allocations in 5 minutes above this");
    public static readonly AlarmThreshold NatPacketsDropped = new("natPacketsDropped", "packets", 0, 100000000, 100, 1000, "packets dropped per 5 minutes above this, in 2 of 3 periods");

    // DMS (the migration's replication instance and task), AWS/DMS.
    public static readonly AlarmThreshold DmsCdcLatencySeconds = new("dmsCdcLatencySeconds", "s", 1, 86400, 600, 3600, "CDC latency at the source (reading the binlog) or the target (applying changes), in 3 of 3 five-minute periods");
    public static readonly AlarmThreshold DmsFreeStorageGb = new("dmsFreeStorageGb", "GiB", 1, 6144, 20, 5, "free storage of the replication instance below this (cached changes and logs fill it)");
    public static readonly AlarmThreshold DmsCpuPercent = new("dmsCpuPercent", "%", 1, 100, 80, 90, "average CPU of the replication instance, over 15 minutes");

    public static readonly IReadOnlyList<AlarmThreshold> All =
    [
        AlbTarget5xxPercent, AlbResponseTimeSeconds, AlbUnhealthyHosts, EcsCpuPercent, EcsMemoryPercent,
        RdsCpuPercent, RdsFreeStorageGb, RdsConnections, SqsOldestMessageSeconds, SqsDeadLetterMessages,
        LambdaErrors, LambdaThrottles, LambdaDurationPercentOfTimeout, CloudFront5xxPercent, NatPortAllocationErrors, NatPacketsDropped,
        DmsCdcLatencySeconds, DmsFreeStorageGb, DmsCpuPercent,
    ];
}

/// <summary>Where alarm notifications go: an email address (plain config) or an HTTPS webhook (a secret config value).</summary>
/// <param name="Protocol"><c>email</c> or <c>https</c>.</param>
/// <param name="Endpoint">The email address; null for https.</param>
/// <param name="SecretKey">For https: the config key (without <c>platform:</c>) holding the URL as a Pulumi secret.</param>
public sealed record AlarmSubscription(string Protocol, string? Endpoint, string? SecretKey);

/// <summary>A latency objective: <paramref name="Percent"/> % of requests answered within <paramref name="ThresholdSeconds"/>.</summary>
public sealed record LatencyObjective(double Percent, double ThresholdSeconds);

/// <summary>A service's objectives over 30 days: availability (non-5xx answers) and latency.</summary>
public sealed record ServiceObjectives(string Service, double AvailabilityPercent, LatencyObjective Latency);

/// <summary>
/// <c>platform:monitoring</c>: who is notified, how loud the stage is, overrides of single thresholds, and the
/// services' objectives (SLOs). Monitoring is on in every stage; the key only tunes it.
/// </summary>
public sealed partial record MonitoringSettings(AlarmPreset Preset, IReadOnlyDictionary<string, double> Thresholds,
    IReadOnlyList<AlarmSubscription> Subscriptions, IReadOnlyList<ServiceObjectives> Objectives)
{
    public const string Key = "platform:monitoring";

    /// <summary>The protocols the platform subscribes; SNS itself supports these too.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["email", "https"];

    /// <summary>Every protocol SNS supports (SNS API reference, Subscribe: Protocol).</summary>
    public static readonly IReadOnlyList<string> SnsProtocols = ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"];

    public const double DefaultAvailability = 99.9;
    public static readonly LatencyObjective DefaultLatency = new(99, 1);

    public double Threshold(AlarmThreshold threshold) => Thresholds[threshold.Key];

    /// <summary>Settings with the preset's thresholds, no subscriptions and default objectives for the services.</summary>
    public static MonitoringSettings Defaults(AlarmPreset preset, IEnumerable<string> services) => new(preset,
        AlarmThreshold.All.ToDictionary(t => t.Key, t => t.Default(preset), StringComparer.Ordinal), [],
        services.Select(s => new ServiceObjectives(s, DefaultAvailability, DefaultLatency)).ToArray());

    /// <param name="services">The services that run a container: the ones with objectives.</param>
    internal static MonitoringSettings Read(ConfigReader reader, StageProfile? profile, IReadOnlyList<ServiceSettings> services)
    {
        var o = new ObjectReader(reader, Key, reader.Json(Key, required: false, "see docs/configuration.md, \"platform:monitoring\""));
        // A throw-away stage (disposable data) alerts quietly unless it says otherwise; every other stage alerts as standard.
        var fallback = profile is { DisposableData: true } ? "quiet" : "standard";
        var preset = o.Choice("preset", fallback, ["standard", "quiet"]) == "quiet" ? AlarmPreset.Quiet : AlarmPreset.Standard;

        var thresholds = AlarmThreshold.All.ToDictionary(t => t.Key, t => t.Default(preset), StringComparer.Ordinal);
        var overrides = o.Object("thresholds");
        foreach (var t in AlarmThreshold.All)
            if (overrides.Number(t.Key, null, t.Min, t.Max, $"{t.What}, in {t.Unit}") is { } value) thresholds[t.Key] = value;
        overrides.RejectUnknown();

        var subscriptions = ReadSubscriptions(reader, o);
        var containers = services.Where(s => s.Container is not null).Select(s => s.Name).ToList();
        var objectives = ReadObjectives(reader, o.Object("objectives"), containers);
        o.RejectUnknown();
        return new MonitoringSettings(preset, thresholds, subscriptions, objectives);
    }

    private static List<AlarmSubscription> ReadSubscriptions(ConfigReader reader, ObjectReader o)
    {
        var result = new List<AlarmSubscription>();
        if (o.Element("subscriptions") is not { } list) return result;
        var path = o.Path("subscriptions");
        if (list.ValueKind != JsonValueKind.Array)
        {
            reader.Add(path, "must be a list of {protocol, endpoint} entries.", "write it as a YAML list, e.g. subscriptions: [{protocol: email, endpoint: oncall@example.com}]");
            return result;
        }
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var s = new ObjectReader(reader, $"{path}[{i++}]", item);
            if (!s.Present) continue;
            var protocol = s.String("protocol", null, "email");
            var endpoint = s.String("endpoint", "", "oncall@example.com");
            var secret = s.String("endpointFrom", "", "alarmWebhook");
            s.RejectUnknown();
            switch (protocol)
            {
                case null:
                    break;
                case "email" when TextRules.Email().IsMatch(endpoint!) && secret!.Length == 0:
                    result.Add(new AlarmSubscription("email", endpoint, null));
                    break;
                case "email":
                    s.Fail("endpoint", "is not an email address (an email subscription takes the address in endpoint, no endpointFrom).",
                        ConfigFix.Set(s.Path("endpoint"), "oncall@example.com"));
                    break;
                case "https" when endpoint!.Length > 0:
                    // The URL is never echoed: a webhook URL usually carries its token in the path or query.
                    s.Fail("endpoint", "is an HTTPS webhook URL in plain config: webhook URLs carry tokens, and plain config is readable by anyone with the repository.",
                        $"pulumi config set --secret {ExampleSecret} '<url>' --stack {{stack}}, then replace endpoint with endpointFrom: {ExampleSecret}");
                    break;
                case "https":
                    if (ReadWebhook(reader, s, secret!) is { } key) result.Add(new AlarmSubscription("https", null, key));
                    break;
                default:
                    var supported = SnsProtocols.Contains(protocol, StringComparer.Ordinal);
                    var suggestion = ConfigReader.Closest(protocol, Protocols);
                    s.Fail("protocol", supported
                            ? $"'{protocol}' is an SNS protocol the platform does not subscribe (it supports {string.Join(" and ", Protocols)})."
                            : $"'{protocol}' is not a protocol SNS supports ({string.Join(", ", SnsProtocols)}).",
                        ConfigFix.Set(s.Path("protocol"), suggestion ?? "email"));
                    break;
            }
        }
        return result;
    }

    private const string ExampleSecret = "alarmWebhook";

    /// <summary>The config key named by endpointFrom: present, and an https URL (checked without ever printing it).</summary>
    private static string? ReadWebhook(ConfigReader reader, ObjectReader s, string secret)
    {
        if (secret.Length == 0)
        {
            s.Fail("endpointFrom", "is required for an https subscription: the name of a secret config value holding the webhook URL.",
                $"pulumi config set --secret {ExampleSecret} '<url>' --stack {{stack}}, then {ConfigFix.Set(s.Path("endpointFrom"), ExampleSecret)}");
            return null;
        }
        if (!SecretKeyRule().IsMatch(secret))
        {
            s.Fail("endpointFrom", $"'{secret}' is not a config key name (letters and digits, starting with a letter, without the platform: prefix).",
                ConfigFix.Set(s.Path("endpointFrom"), ExampleSecret));
            return null;
        }
        var key = $"platform:{secret}";
        var url = reader.String(key, required: false, "'<url>'");
        if (url is null)
        {
            reader.Add(key, $"is named by {s.Path("endpointFrom")} but not set.", $"pulumi config set --secret {secret} '<url>' --stack {{stack}}");
            return null;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            reader.Add(key, "is not an https:// URL (its value is not shown: it is a secret).", $"pulumi config set --secret {secret} 'https://...' --stack {{stack}}");
            return null;
        }
        return secret;
    }

    private static List<ServiceObjectives> ReadObjectives(ConfigReader reader, ObjectReader o, IReadOnlyList<string> containers)
    {
        var result = new List<ServiceObjectives>();
        var configured = o.FieldNames();
        foreach (var name in configured.Where(n => !containers.Contains(n, StringComparer.Ordinal)))
        {
            o.Element(name);
            o.Fail(name, $"'{name}' is not a service with a container: objectives are measured on a service's load balancer.",
                containers.Count == 0 ? $"remove {o.Path(name)}"
                    : $"use one of {string.Join(", ", containers.Take(10))}{(containers.Count > 10 ? $" (+{containers.Count - 10} more)" : "")}, or remove {o.Path(name)}");
        }
        foreach (var service in containers)
        {
            var s = o.Object(service);
            var availability = Percent(s, "availability", DefaultAvailability);
            var latency = s.Object("latency");
            var percent = Percent(latency, "percent", DefaultLatency.Percent);
            var seconds = latency.Number("thresholdSeconds", DefaultLatency.ThresholdSeconds, 0.001, 60, "the response time a request must beat, in seconds");
            latency.RejectUnknown();
            s.RejectUnknown();
            result.Add(new ServiceObjectives(service, availability, new LatencyObjective(percent, seconds ?? DefaultLatency.ThresholdSeconds)));
        }
        return result;
    }

    /// <summary>An objective: a percentage strictly between 0 and 100 (100 % leaves no error budget to burn).</summary>
    private static double Percent(ObjectReader o, string field, double fallback)
    {
        if (o.Number(field, fallback, 0, 100, "an objective in percent") is not { } value) return fallback;
        if (value is > 0 and < 100) return value;
        o.Fail(field, $"{value.ToString(CultureInfo.InvariantCulture)} is not an objective in (0, 100): 100 % leaves no error budget, so every failed request would page.",
            ConfigFix.Set(o.Path(field), fallback.ToString(CultureInfo.InvariantCulture)));
        return fallback;
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9]{0,63}$")]
    private static partial Regex SecretKeyRule();
}
