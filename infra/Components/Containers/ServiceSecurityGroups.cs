using Platform.Infra.Aws;
using Platform.Infra.Aws.Ec2;
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
            SecurityGroupRules.AllowIn(scope, $"alb-in-{publicPort}", Alb.Id, SecurityGroupPeer.Anywhere, publicPort,
                publicPort == PublicEndpoint.HttpsPort ? "HTTPS from the internet" : https ? "HTTP from the internet (redirected to HTTPS)" : "HTTP from the internet");
        SecurityGroupRules.AllowOut(scope, "alb-out-tasks", Alb.Id, SecurityGroupPeer.Of(Tasks.Id), port, $"to {service} tasks");
        SecurityGroupRules.AllowIn(scope, "task-in-alb", Tasks.Id, SecurityGroupPeer.Of(Alb.Id), port, $"from the {service} ALB");
        SecurityGroupRules.AllowOut(scope, "task-out-https", Tasks.Id, SecurityGroupPeer.Anywhere, PublicEndpoint.HttpsPort,
            "HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager, S3) and the internet");
        if (database is not null)
            SecurityGroupRules.AllowOut(scope, "task-out-db", Tasks.Id, SecurityGroupPeer.Of(database.SecurityGroup.Id), database.Settings.Port,
                $"{database.Settings.Engine.Name} to the database");
    }

    public SecurityGroup Alb { get; }

    public SecurityGroup Tasks { get; }
}
