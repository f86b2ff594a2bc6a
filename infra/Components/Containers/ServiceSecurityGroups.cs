using Platform.Infra.Aws;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>
/// The ALB's and the tasks' security groups of one service, with every rule a separate resource naming its peer
/// (EC2.18/19): internet → ALB on 443 (and 80, which only redirects when HTTPS is on), ALB → tasks on the container
/// port, tasks → the database port and HTTPS out (ECR, CloudWatch Logs, Secrets Manager, S3 through NAT or the
/// gateway endpoint).
/// </summary>
public sealed class ServiceSecurityGroups
{
    public ServiceSecurityGroups(ComponentScope scope, string service, int port, bool https, Output<string> vpcId, Database? database)
    {
        Alb = scope.Add("alb-sg", new SecurityGroupArgs { VpcId = vpcId, Description = $"{service} ALB: HTTP(S) from the internet, to the tasks only" });
        Tasks = scope.Add("task-sg", new SecurityGroupArgs { VpcId = vpcId, Description = $"{service} tasks: port {port} from the ALB only" });

        foreach (var publicPort in https ? [PublicEndpoint.HttpPort, PublicEndpoint.HttpsPort] : new[] { PublicEndpoint.HttpPort })
            scope.Add($"alb-in-{publicPort}", new SecurityGroupIngressRuleArgs
            {
                SecurityGroupId = Alb.Id,
                CidrIpv4 = "0.0.0.0/0",
                IpProtocol = "tcp",
                FromPort = publicPort,
                ToPort = publicPort,
                Description = publicPort == PublicEndpoint.HttpsPort ? "HTTPS from the internet" : https ? "HTTP from the internet (redirected to HTTPS)" : "HTTP from the internet",
            });
        scope.Add("alb-out-tasks", new SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = Alb.Id,
            ReferencedSecurityGroupId = Tasks.Id,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            Description = $"to {service} tasks",
        });
        scope.Add("task-in-alb", new SecurityGroupIngressRuleArgs
        {
            SecurityGroupId = Tasks.Id,
            ReferencedSecurityGroupId = Alb.Id,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            Description = $"from the {service} ALB",
        });
        scope.Add("task-out-https", new SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = Tasks.Id,
            CidrIpv4 = "0.0.0.0/0",
            IpProtocol = "tcp",
            FromPort = PublicEndpoint.HttpsPort,
            ToPort = PublicEndpoint.HttpsPort,
            Description = "HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager, S3) and the internet",
        });
        if (database is not null)
            scope.Add("task-out-db", new SecurityGroupEgressRuleArgs
            {
                SecurityGroupId = Tasks.Id,
                ReferencedSecurityGroupId = database.SecurityGroup.Id,
                IpProtocol = "tcp",
                FromPort = database.Settings.Port,
                ToPort = database.Settings.Port,
                Description = $"{database.Settings.Engine.Name} to the database",
            });
    }

    public SecurityGroup Alb { get; }

    public SecurityGroup Tasks { get; }
}
