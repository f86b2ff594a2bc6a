using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using T = Platform.Infra.Settings.AlarmThreshold;

namespace Platform.Infra.Components;

/// <summary>A container service to watch: its ALB and target group, and its ECS service once it has an image.</summary>
public sealed record ServiceWatch(string Name, Output<string> LoadBalancer, Output<string> TargetGroup, Output<string>? Cluster, Output<string>? Service)
{
    public static ServiceWatch Of(string name, ContainerService service, ContainerCluster cluster) => new(name,
        service.Endpoint.LoadBalancer.ArnSuffix, service.Endpoint.TargetGroup.ArnSuffix,
        service.Service is null ? null : cluster.Cluster.Name, service.Service?.Name);
}

/// <summary>A static site's CloudFront distribution to watch.</summary>
public sealed record SiteWatch(string Name, Output<string> DistributionId);

/// <summary>A work queue to watch (e.g. the ingestion queue), with its dead-letter queue when it has one.</summary>
public sealed record QueueWatch(string Name, Output<string> QueueName, Output<string>? DeadLetterQueueName);

/// <summary>A Lambda function to watch, with its timeout (the duration alarm is a share of it).</summary>
public sealed record FunctionWatch(string Name, Output<string> FunctionName, int TimeoutSeconds);

/// <summary>
/// What the stack has that monitoring watches. Alarms exist only for what is here: services with a container, the
/// database when configured, CloudFront for static sites, NAT gateways, and the queues and functions a component
/// hands over (<see cref="Queues"/>, <see cref="Functions"/>).
/// </summary>
public sealed record MonitoredResources(Network Network, Database? Database)
{
    public IReadOnlyList<ServiceWatch> Services { get; init; } = [];
    public IReadOnlyList<SiteWatch> Sites { get; init; } = [];
    public IReadOnlyList<QueueWatch> Queues { get; init; } = [];
    public IReadOnlyList<FunctionWatch> Functions { get; init; } = [];

    /// <summary>The migration's replication instance and task, when the stack migrates a database.</summary>
    public MigrationWatch? Migration { get; init; }

    /// <summary>The stack's AWS Backup vault, when it has <c>platform:dr</c>: failed jobs and drills alert (<see cref="BackupAlerts"/>).</summary>
    public BackupWatch? Backups { get; init; }
}

/// <summary>
/// The stack's monitoring (<c>platform:monitoring</c>, on in every stage): an encrypted alarm topic with the configured
/// subscriptions; alarms with the stage's thresholds for every watched resource; RDS event subscriptions (RDS.20-22);
/// each service's objectives as multi-window burn-rate alarms (<see cref="Objectives"/>); and a dashboard of the
/// golden signals (<see cref="MonitoringDashboard"/>).
/// <para>
/// CloudFront publishes its metrics only in us-east-1, and an alarm can only watch metrics of its own region: a
/// stack outside us-east-1 with static sites gets a second topic (and key) there, for the CloudFront alarms.
/// </para>
/// </summary>
public sealed class Monitoring
{
    /// <summary>The region of CloudFront's metrics (CloudFront developer guide, "Monitoring CloudFront metrics with Amazon CloudWatch").</summary>
    public const string CloudFrontRegion = "us-east-1";

    private static readonly Evaluation Traffic = new(300, 3, 2, Evaluation.Above, Evaluation.NotBreaching);
    private static readonly Evaluation Saturation = new(300, 3, 3, Evaluation.Above, Evaluation.Breaching);
    private static readonly Evaluation Once = new(300, 1, 1, Evaluation.Above, Evaluation.NotBreaching);

    public Monitoring(ComponentScope scope, StackSettings settings, MonitoredResources watched)
    {
        var m = settings.Monitoring;
        var backupRule = watched.Backups is { } backups ? BackupAlerts.Rule(scope, backups) : null;
        Topic = new AlarmTopic(scope, "alarms", settings, region: null, backupRule?.Arn);
        if (backupRule is not null) BackupAlerts.Target(scope, backupRule, Topic);
        var alarms = new Alarms(scope, Topic.Arn);

        foreach (var service in watched.Services) WatchService(alarms, m, service);
        Objectives.Create(alarms, m.Objectives, watched.Services);
        if (watched.Database is { } db) WatchDatabase(scope, alarms, m, db, Topic);
        foreach (var nat in watched.Network.NatGateways) WatchNat(alarms, m, nat);
        foreach (var queue in watched.Queues) WatchQueue(alarms, m, queue);
        foreach (var function in watched.Functions) WatchFunction(alarms, m, function);
        if (watched.Migration is { } migration) WatchMigration(alarms, m, migration);

        if (watched.Sites.Count > 0)
        {
            EdgeTopic = settings.Aws.Region == CloudFrontRegion ? Topic : new AlarmTopic(scope, "edge-alarms", settings, CloudFrontRegion);
            var edge = new Alarms(scope, EdgeTopic.Arn, EdgeTopic == Topic ? null : CloudFrontRegion);
            foreach (var site in watched.Sites) WatchSite(edge, m, site);
        }

        Dashboard = MonitoringDashboard.Create(scope, settings, watched);
    }

    public AlarmTopic Topic { get; }

    /// <summary>The topic of the CloudFront alarms (in us-east-1); null without static sites.</summary>
    public AlarmTopic? EdgeTopic { get; }

    public Dashboard Dashboard { get; }

    public static Monitoring Create(StackContext stack, StackSettings settings, MonitoredResources watched)
    {
        var monitoring = new Monitoring(new ComponentScope(stack, ComponentNames.Monitoring), settings, watched);
        stack.Template.Export(StackOutputs.AlarmTopicArn, monitoring.Topic.Arn);
        stack.Template.Export(StackOutputs.DashboardName, monitoring.Dashboard.DashboardName);
        return monitoring;
    }

    private static void WatchService(Alarms alarms, MonitoringSettings m, ServiceWatch s)
    {
        alarms.Math($"{s.Name}-alb-5xx", $"{s.Name}: more than {Alarms.Number(m.Threshold(T.AlbTarget5xxPercent))} % of requests answered 5xx by the targets",
            "100 * FILL(m1, 0) / m2", [(Metrics.Alb("HTTPCode_Target_5XX_Count", s), "Sum"), (Metrics.Alb("RequestCount", s), "Sum")], m.Threshold(T.AlbTarget5xxPercent), Traffic);
        alarms.Metric($"{s.Name}-alb-latency", $"{s.Name}: p99 target response time above {Alarms.Number(m.Threshold(T.AlbResponseTimeSeconds))} s",
            Metrics.Alb("TargetResponseTime", s), "p99", m.Threshold(T.AlbResponseTimeSeconds), Traffic);
        alarms.Metric($"{s.Name}-alb-unhealthy", $"{s.Name}: at least {Alarms.Number(m.Threshold(T.AlbUnhealthyHosts))} unhealthy target(s) for 5 minutes",
            Metrics.Alb("UnHealthyHostCount", s), "Maximum", m.Threshold(T.AlbUnhealthyHosts), new Evaluation(60, 5, 5, Evaluation.AtLeast, Evaluation.NotBreaching));
        if (s.Cluster is not { } cluster || s.Service is not { } service) return;
        // The service runs at least one task, so ECS always reports: silence means no task is running.
        var ecs = (string name) => Metrics.Ecs(name, cluster, service);
        alarms.Metric($"{s.Name}-ecs-cpu", $"{s.Name}: tasks' CPU above {Alarms.Number(m.Threshold(T.EcsCpuPercent))} % for 15 minutes",
            ecs("CPUUtilization"), "Average", m.Threshold(T.EcsCpuPercent), Saturation);
        alarms.Metric($"{s.Name}-ecs-memory", $"{s.Name}: tasks' memory above {Alarms.Number(m.Threshold(T.EcsMemoryPercent))} % for 15 minutes",
            ecs("MemoryUtilization"), "Average", m.Threshold(T.EcsMemoryPercent), Saturation);
    }

    /// <summary>
    /// CPU, free storage and connections of the instance (RDS reports every minute: silence means it is down), and
    /// the event subscriptions FSBP asks for: instance failure, maintenance and configuration change (RDS.20),
    /// parameter group configuration change (RDS.21), security group configuration change and failure (RDS.22).
    /// Replica lag has no alarm: the platform refuses read replicas (RDS cannot replicate an instance whose master
    /// password it manages), and a Multi-AZ standby does not report ReplicaLag.
    /// </summary>
    private static void WatchDatabase(ComponentScope scope, Alarms alarms, MonitoringSettings m, Database db, AlarmTopic topic)
    {
        var rds = (string name) => Metrics.Rds(name, db);
        alarms.Metric("database-cpu", $"database: CPU above {Alarms.Number(m.Threshold(T.RdsCpuPercent))} % for 15 minutes",
            rds("CPUUtilization"), "Average", m.Threshold(T.RdsCpuPercent), Saturation);
        alarms.Metric("database-free-storage", $"database: less than {Alarms.Number(m.Threshold(T.RdsFreeStorageGb))} GiB of free storage",
            rds("FreeStorageSpace"), "Minimum", m.Threshold(T.RdsFreeStorageGb) * 1024 * 1024 * 1024, new Evaluation(300, 1, 1, Evaluation.Below, Evaluation.Breaching));
        alarms.Metric("database-connections", $"database: more than {Alarms.Number(m.Threshold(T.RdsConnections))} connections",
            rds("DatabaseConnections"), "Maximum", m.Threshold(T.RdsConnections), new Evaluation(300, 3, 2, Evaluation.Above, Evaluation.Breaching));

        (string Role, string Source, string[] Categories)[] subscriptions =
        [
            ("database-events", "db-instance", ["failure", "maintenance", "configuration change"]),
            ("database-parameter-events", "db-parameter-group", ["configuration change"]),
            ("database-security-group-events", "db-security-group", ["configuration change", "failure"]),
        ];
        foreach (var (role, source, categories) in subscriptions)
            scope.Add(role, new EventSubscriptionArgs
            {
                Name = scope.PhysicalName(role),
                SnsTopic = topic.Arn,
                SourceType = source,
                EventCategories = categories,
                Enabled = true,
            }, new ResourceOptions { DependsOn = [topic.Policy, topic.Key.Key] });
    }

    private static void WatchNat(Alarms alarms, MonitoringSettings m, NatGateway nat)
    {
        var role = nat.LogicalName.Replace($"{ComponentNames.Network}-", "", StringComparison.Ordinal);
        var metric = (string name) => Metrics.Nat(name, nat);
        alarms.Metric($"{role}-port-allocation", $"{role}: more than {Alarms.Number(m.Threshold(T.NatPortAllocationErrors))} failed port allocations in 5 minutes (too many connections to one destination)",
            metric("ErrorPortAllocation"), "Sum", m.Threshold(T.NatPortAllocationErrors), Once);
        alarms.Metric($"{role}-packets-dropped", $"{role}: more than {Alarms.Number(m.Threshold(T.NatPacketsDropped))} packets dropped in 5 minutes",
            metric("PacketsDropCount"), "Sum", m.Threshold(T.NatPacketsDropped), Traffic);
    }

    /// <summary>A work queue: its oldest message's age; a dead-letter queue: any message in it. SQS stops reporting idle queues, so silence is fine.</summary>
    private static IReadOnlyList<MetricAlarm> WatchQueue(Alarms alarms, MonitoringSettings m, QueueWatch q)
    {
        List<MetricAlarm> created =
        [
            alarms.Metric($"{q.Name}-queue-age", $"{q.Name}: a message has waited more than {Alarms.Number(m.Threshold(T.SqsOldestMessageSeconds))} s",
                Metrics.Sqs("ApproximateAgeOfOldestMessage", q.QueueName), "Maximum", m.Threshold(T.SqsOldestMessageSeconds), Traffic),
        ];
        if (q.DeadLetterQueueName is { } dlq)
            created.Add(alarms.Metric($"{q.Name}-dlq-depth", $"{q.Name}: more than {Alarms.Number(m.Threshold(T.SqsDeadLetterMessages))} message(s) in the dead-letter queue",
                Metrics.Sqs("ApproximateNumberOfMessagesVisible", dlq), "Maximum", m.Threshold(T.SqsDeadLetterMessages), Once));
        return created;
    }

    /// <summary>A Lambda function: errors, throttles, and p99 duration near its timeout. No invocations means no data, which is fine.</summary>
    private static IReadOnlyList<MetricAlarm> WatchFunction(Alarms alarms, MonitoringSettings m, FunctionWatch f)
    {
        var lambda = (string name) => Metrics.Lambda(name, f);
        var durationMs = f.TimeoutSeconds * 1000 * m.Threshold(T.LambdaDurationPercentOfTimeout) / 100;
        return
        [
            alarms.Metric($"{f.Name}-errors", $"{f.Name}: more than {Alarms.Number(m.Threshold(T.LambdaErrors))} failed invocation(s) in 5 minutes",
                lambda("Errors"), "Sum", m.Threshold(T.LambdaErrors), Once),
            alarms.Metric($"{f.Name}-throttles", $"{f.Name}: more than {Alarms.Number(m.Threshold(T.LambdaThrottles))} throttled invocation(s) in 5 minutes",
                lambda("Throttles"), "Sum", m.Threshold(T.LambdaThrottles), Once),
            alarms.Metric($"{f.Name}-duration", $"{f.Name}: p99 duration above {Alarms.Number(durationMs)} ms ({Alarms.Number(m.Threshold(T.LambdaDurationPercentOfTimeout))} % of its {f.TimeoutSeconds} s timeout)",
                lambda("Duration"), "p99", durationMs, Traffic),
        ];
    }

    /// <summary>
    /// The migration: CDC latency at the source and at the target (a task that is stopped or still in its full load
    /// reports none, so missing data is fine), and the replication instance's CPU and free storage (it always reports).
    /// </summary>
    private static void WatchMigration(Alarms alarms, MonitoringSettings m, MigrationWatch w)
    {
        var latency = m.Threshold(T.DmsCdcLatencySeconds);
        foreach (var (side, metric) in new[] { ("source", "CDCLatencySource"), ("target", "CDCLatencyTarget") })
            alarms.Metric($"migration-cdc-latency-{side}", $"migration: {metric} above {Alarms.Number(latency)} s for 15 minutes",
                Metrics.DmsTask(metric, w), "Maximum", latency, new Evaluation(300, 3, 3, Evaluation.Above, Evaluation.NotBreaching));
        alarms.Metric("migration-cpu", $"migration: replication instance CPU above {Alarms.Number(m.Threshold(T.DmsCpuPercent))} % for 15 minutes",
            Metrics.DmsInstance("CPUUtilization", w), "Average", m.Threshold(T.DmsCpuPercent), Saturation);
        alarms.Metric("migration-free-storage", $"migration: replication instance below {Alarms.Number(m.Threshold(T.DmsFreeStorageGb))} GiB of free storage",
            Metrics.DmsInstance("FreeStorageSpace", w), "Minimum", m.Threshold(T.DmsFreeStorageGb) * 1024 * 1024 * 1024, new Evaluation(300, 1, 1, Evaluation.Below, Evaluation.Breaching));
    }

    private static void WatchSite(Alarms alarms, MonitoringSettings m, SiteWatch s) =>
        alarms.Metric($"{s.Name}-cdn-5xx", $"{s.Name}: more than {Alarms.Number(m.Threshold(T.CloudFront5xxPercent))} % of viewer requests answered 5xx",
            Metrics.CloudFront("5xxErrorRate", s), "Average", m.Threshold(T.CloudFront5xxPercent), Traffic);
}
