using Platform.Infra.Aws;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>The stack's ECS cluster, shared by every container service: Fargate only, Container Insights on (ECS.12).</summary>
public sealed class ContainerCluster
{
    public ContainerCluster(ComponentScope scope)
    {
        Cluster = scope.Add("cluster", new ClusterArgs
        {
            Settings = [new ClusterSetting { Name = "containerInsights", Value = "enabled" }],
        });
    }

    public Cluster Cluster { get; }

    public static ContainerCluster Create(StackContext stack) => new(new ComponentScope(stack, ComponentNames.Ecs));
}
