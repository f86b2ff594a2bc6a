using Platform.Infra.Aws.Ec2;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>A CloudWatch metric: namespace, name and dimensions (values may be outputs, e.g. an ALB's <c>arnSuffix</c>).</summary>
public sealed record Metric(string Namespace, string Name, IReadOnlyList<(string Name, Output<string> Value)> Dimensions)
{
    public InputMap<string> DimensionMap()
    {
        var map = new InputMap<string>();
        foreach (var (name, value) in Dimensions) map[name] = value;
        return map;
    }
}

/// <summary>
/// The metrics monitoring watches, with the dimensions each service publishes them under (the alarms and the
/// dashboard use the same ones): the ALB's per-target-group metrics, ECS service, RDS instance, SQS queue, Lambda
/// function, NAT gateway and CloudFront distribution metrics.
/// </summary>
public static class Metrics
{
    public static Metric Alb(string name, ServiceWatch s) => new("AWS/ApplicationELB", name, [("LoadBalancer", s.LoadBalancer), ("TargetGroup", s.TargetGroup)]);

    public static Metric Ecs(string name, Output<string> cluster, Output<string> service) => new("AWS/ECS", name, [("ClusterName", cluster), ("ServiceName", service)]);

    public static Metric Rds(string name, Database db) => new("AWS/RDS", name, [("DBInstanceIdentifier", db.Instance.Identifier)]);

    public static Metric Sqs(string name, Output<string> queue) => new("AWS/SQS", name, [("QueueName", queue)]);

    public static Metric Lambda(string name, FunctionWatch f) => new("AWS/Lambda", name, [("FunctionName", f.FunctionName)]);

    public static Metric Nat(string name, NatGateway nat) => new("AWS/NATGateway", name, [("NatGatewayId", nat.Id)]);

    /// <summary>A DMS replication instance's metric (dimension ReplicationInstanceIdentifier).</summary>
    public static Metric DmsInstance(string name, MigrationWatch m) => new("AWS/DMS", name, [("ReplicationInstanceIdentifier", m.InstanceId)]);

    /// <summary>A DMS task's metric: published under both the instance and the task (DMS user guide, "Replication task metrics").</summary>
    public static Metric DmsTask(string name, MigrationWatch m) => new("AWS/DMS", name, [("ReplicationInstanceIdentifier", m.InstanceId), ("ReplicationTaskIdentifier", m.TaskResourceId)]);

    /// <summary>CloudFront metrics: in us-east-1, with the dimension Region = Global.</summary>
    public static Metric CloudFront(string name, SiteWatch s) => new("AWS/CloudFront", name, [("DistributionId", s.DistributionId), ("Region", PolicyStatement.Literal("Global"))]);
}
