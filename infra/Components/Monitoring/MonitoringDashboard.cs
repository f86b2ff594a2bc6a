using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>One graph of the dashboard: a title, the region of its metrics and its lines (metric, statistic, label).</summary>
public sealed record DashboardGraph(string Title, string Region, IReadOnlyList<(Metric Metric, string Stat, string Label)> Lines);

/// <summary>
/// The stack's CloudWatch dashboard: the golden signals (traffic, errors, latency, saturation) of every watched
/// resource, two graphs a row. The body is the JSON of the CloudWatch dashboard body structure (CloudWatch API
/// reference, "Dashboard Body Structure and Syntax"), built here as a template value so that the dimensions are the
/// resources' real outputs (an ALB's <c>LoadBalancer</c> dimension is its <c>arnSuffix</c>).
/// </summary>
public static class MonitoringDashboard
{
    public const int Width = 12;
    public const int Height = 6;

    public static Dashboard Create(ComponentScope scope, StackSettings settings, MonitoredResources watched) =>
        scope.Add("dashboard", new DashboardArgs
        {
            DashboardName = $"{settings.Project}-{settings.Stack}",
            DashboardBody = Input<string>.FromValue(FunctionValue.ToJson(Body(Graphs(settings.Aws.Region, watched)))),
        });

    /// <summary>The graphs, in the order they appear: services, database, sites, queues, functions, NAT.</summary>
    public static IReadOnlyList<DashboardGraph> Graphs(string region, MonitoredResources watched)
    {
        var graphs = new List<DashboardGraph>();
        foreach (var s in watched.Services)
        {
            graphs.Add(new($"{s.Name}: traffic and errors", region,
                [(Metrics.Alb("RequestCount", s), "Sum", "requests"), (Metrics.Alb("HTTPCode_Target_5XX_Count", s), "Sum", "5xx from targets")]));
            graphs.Add(new($"{s.Name}: latency", region,
                [(Metrics.Alb("TargetResponseTime", s), "p50", "p50"), (Metrics.Alb("TargetResponseTime", s), "p99", "p99")]));
            if (s.Cluster is { } cluster && s.Service is { } service)
                graphs.Add(new($"{s.Name}: saturation", region,
                [
                    (Metrics.Ecs("CPUUtilization", cluster, service), "Average", "CPU %"),
                    (Metrics.Ecs("MemoryUtilization", cluster, service), "Average", "memory %"),
                ]));
        }
        if (watched.Database is { } db)
        {
            var rds = (string name) => Metrics.Rds(name, db);
            graphs.Add(new("database: saturation", region, [(rds("CPUUtilization"), "Average", "CPU %"), (rds("DatabaseConnections"), "Maximum", "connections")]));
            graphs.Add(new("database: free storage (bytes)", region, [(rds("FreeStorageSpace"), "Minimum", "free storage")]));
        }
        foreach (var site in watched.Sites)
            graphs.Add(new($"{site.Name}: CDN traffic and errors", Monitoring.CloudFrontRegion,
                [(Metrics.CloudFront("Requests", site), "Sum", "requests"), (Metrics.CloudFront("5xxErrorRate", site), "Average", "5xx %")]));
        foreach (var q in watched.Queues)
        {
            var lines = new List<(Metric, string, string)> { (Metrics.Sqs("ApproximateAgeOfOldestMessage", q.QueueName), "Maximum", "oldest message (s)") };
            if (q.DeadLetterQueueName is { } dlq) lines.Add((Metrics.Sqs("ApproximateNumberOfMessagesVisible", dlq), "Maximum", "dead letters"));
            graphs.Add(new($"{q.Name}: queue", region, lines));
        }
        foreach (var f in watched.Functions)
        {
            var lambda = (string name) => Metrics.Lambda(name, f);
            graphs.Add(new($"{f.Name}: function", region,
                [(lambda("Invocations"), "Sum", "invocations"), (lambda("Errors"), "Sum", "errors"), (lambda("Throttles"), "Sum", "throttles")]));
        }
        foreach (var nat in watched.Network.NatGateways)
        {
            var metric = (string name) => Metrics.Nat(name, nat);
            graphs.Add(new($"{nat.LogicalName}: errors", region, [(metric("ErrorPortAllocation"), "Sum", "port allocation errors"), (metric("PacketsDropCount"), "Sum", "packets dropped")]));
        }
        return graphs;
    }

    /// <summary><c>{"widgets": [...]}</c>: one metric widget per graph, two a row.</summary>
    public static MapValue Body(IReadOnlyList<DashboardGraph> graphs) => MapValue.From(
    [
        new("widgets", new ListValue(graphs.Select((g, i) => (Value)MapValue.From(
        [
            new("type", new StringValue("metric")),
            new("x", new NumberValue(i % 2 * Width)),
            new("y", new NumberValue(i / 2 * Height)),
            new("width", new NumberValue(Width)),
            new("height", new NumberValue(Height)),
            new("properties", MapValue.From(
            [
                new("title", new StringValue(g.Title)),
                new("region", new StringValue(g.Region)),
                new("view", new StringValue("timeSeries")),
                new("period", new NumberValue(300)),
                new("metrics", new ListValue(g.Lines.Select(Line).ToArray())),
            ])),
        ])).ToArray())),
    ]);

    /// <summary><c>[namespace, metric, dimension, value, ..., {stat, label}]</c>.</summary>
    private static Value Line((Metric Metric, string Stat, string Label) line) => new ListValue(
    [
        new StringValue(line.Metric.Namespace),
        new StringValue(line.Metric.Name),
        .. line.Metric.Dimensions.SelectMany(d => new[] { (Value)new StringValue(d.Name), d.Value.Expression }),
        MapValue.From([new("stat", new StringValue(line.Stat)), new("label", new StringValue(line.Label))]),
    ]);
}
