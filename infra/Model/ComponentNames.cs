namespace Platform.Infra.Model;

/// <summary>
/// The names of the stack-wide components: the first part of the logical name of every resource they create
/// (<c>network-vpc</c>, <c>ecs-cluster</c>). A service's resources start with the service's name instead, so a service
/// may take none of these (<see cref="Settings.ServiceSettings.ReservedNames"/>). A new stack-wide component adds its
/// name here and creates its scope with it.
/// </summary>
public static class ComponentNames
{
    /// <summary>The VPC, its subnets, routes, NAT gateways, flow logs and endpoints.</summary>
    public const string Network = "network";

    /// <summary>The stack's log bucket (S3 server access logs, CloudFront and ALB logs) and the key of its CloudWatch log groups.</summary>
    public const string Logs = "logs";

    /// <summary>The RDS instance, its key, secret, parameter group and the one-off users task (<c>database-users-*</c>).</summary>
    public const string Database = "database";

    /// <summary>The ECS cluster every container service runs in.</summary>
    public const string Ecs = "ecs";

    /// <summary>The stack's WAF web ACLs (regional for the load balancers, CloudFront-scoped in us-east-1) and their logs.</summary>
    public const string Waf = "waf";

    /// <summary>The alarm topics, alarms, RDS event subscriptions and the dashboard of the stack.</summary>
    public const string Monitoring = "monitoring";

    /// <summary>The AWS Backup vaults (primary and DR region), backup plan, restore drills and the database's backup replication (<c>platform:dr</c>).</summary>
    public const string Backup = "backup";

    /// <summary>The MySQL migration: the Site-to-Site VPN to the source network, the DMS replication instance, endpoints and task.</summary>
    public const string Migration = "migration";

    /// <summary>The account's security baseline: trail, audit bucket, Config, GuardDuty, Security Hub, account settings, budget.</summary>
    public const string Baseline = "baseline";

    public static readonly IReadOnlyList<string> All = [Network, Logs, Database, Ecs, Waf, Monitoring, Backup, Migration, Baseline];

    // The components of an account bootstrap (a stack kind of its own, with no services).

    /// <summary>The account's state bucket for the S3 backend, and its access-log bucket.</summary>
    public const string State = "state";

    /// <summary>The KMS key of the stacks' secrets provider.</summary>
    public const string Secrets = "secrets";

    /// <summary>The GitHub OIDC identity provider.</summary>
    public const string GitHub = "github";

    /// <summary>The roles GitHub Actions assumes (previews, deploys, promotion, state).</summary>
    public const string Ci = "ci";

    /// <summary>The role the stacks' AWS provider assumes.</summary>
    public const string Deployer = "deployer";

    public static readonly IReadOnlyList<string> Bootstrap = [State, Secrets, GitHub, Ci, Deployer];
}
