using Platform.Infra.Aws;
using Platform.Infra.Aws.AppAutoScaling;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>
/// Target tracking for one ECS service between a floor and a ceiling: on average CPU and on ALB requests per task
/// (Application Auto Scaling user guide, "Target tracking scaling policies"). It owns the service's desiredCount.
/// </summary>
public sealed class ServiceScaling
{
    public ServiceScaling(ComponentScope scope, Output<string> clusterName, Output<string> serviceName, int min, int max,
        int cpuTargetPercent, Output<string> albResourceLabel, int requestsPerTarget)
    {
        Target = scope.Add("scaling", new TargetArgs
        {
            ServiceNamespace = "ecs",
            ScalableDimension = "ecs:service:DesiredCount",
            ResourceId = Output.Format($"service/{clusterName}/{serviceName}"),
            MinCapacity = min,
            MaxCapacity = max,
        });
        TrackTarget(scope, "scale-cpu", "ECSServiceAverageCPUUtilization", null, cpuTargetPercent);
        TrackTarget(scope, "scale-requests", "ALBRequestCountPerTarget", albResourceLabel, requestsPerTarget);
    }

    public Target Target { get; }

    private void TrackTarget(ComponentScope scope, string role, string metric, Output<string>? label, int target) => scope.Add(role, new PolicyArgs
    {
        PolicyType = "TargetTrackingScaling",
        ServiceNamespace = Target.ServiceNamespace,
        ScalableDimension = Target.ScalableDimension,
        ResourceId = Target.ResourceId,
        TargetTrackingScalingPolicyConfiguration = new PolicyTargetTrackingScalingPolicyConfiguration
        {
            TargetValue = target,
            ScaleInCooldown = 300,
            ScaleOutCooldown = 60,
            PredefinedMetricSpecification = new PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification
            {
                PredefinedMetricType = metric,
                ResourceLabel = Input<string>.Optional(label),
            },
        },
    });
}
