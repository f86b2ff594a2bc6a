using System.Globalization;
using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>Inputs of the <see cref="ContainerService"/> component.</summary>
/// <param name="Service">The service name (part of names, the container name, the ECS family).</param>
/// <param name="Container">Image, port, size, counts, health path, environment, certificate.</param>
/// <param name="Profile">Protection, disposable data and log retention of the stage.</param>
/// <param name="Aws">Account, region and partition.</param>
/// <param name="Network">Public subnets (ALB), private subnets (tasks), the VPC.</param>
/// <param name="Cluster">The stack's ECS cluster.</param>
/// <param name="TaskGrants">What the task role may do: the grants of the stores the service owns.</param>
/// <param name="Database">The stack's database, when the service uses it.</param>
/// <param name="AccessLogs">Where the ALB writes access logs; null leaves them off (a finding, ELB.5).</param>
/// <param name="Logs">The stack's log groups (the containers' group).</param>
/// <param name="Firewall">The stack's web ACLs; the load balancer is associated with the regional one. None when <c>platform:waf</c> is off.</param>
public sealed record ContainerServiceArgs(
    string Service,
    ContainerSettings Container,
    StageProfile Profile,
    AwsSettings Aws,
    Network Network,
    Cluster Cluster,
    IReadOnlyList<PolicyStatement> TaskGrants,
    Database? Database,
    AlbAccessLogs? AccessLogs,
    LogGroups Logs,
    WebFirewall? Firewall);

/// <summary>
/// One containerised service on ECS Fargate behind its own internet-facing ALB, the way CDK's
/// ApplicationLoadBalancedFargateService does it, with secure defaults. Its parts:
/// <list type="bullet">
/// <item><see cref="ImageRepository"/>: the service's ECR repository, and a log group;</item>
/// <item><see cref="ServiceSecurityGroups"/> and <see cref="PublicEndpoint"/>: the ALB, target group and listeners;</item>
/// <item>an execution role (pull this repository, write this log group) and a separate task role (the store grants,
/// and <c>rds-db:connect</c> as the service's own database user);</item>
/// <item>once <see cref="ContainerSettings.Image"/> names an image: a task definition (awsvpc, validated Fargate size,
/// <see cref="ContainerDefinition"/>), the service in private subnets with no public IP (ECS.2), circuit breaker with
/// rollback, 100/200 %, a grace period, waiting for steady state, and <see cref="ServiceScaling"/>.</item>
/// </list>
/// Without an image (the first deploy of an empty account) there is no task definition and no service, so nothing
/// waits on an image that cannot exist yet; the next <c>pulumi up</c> after the image is named creates them.
/// </summary>
public sealed class ContainerService
{
    public ContainerService(ComponentScope scope, ContainerServiceArgs args)
    {
        var c = args.Container;
        var aws = args.Aws;
        var protect = args.Profile.Protect;
        if (args.Network.PrivateSubnets.Count < 2)
            throw new InvalidOperationException("Tasks run in at least two AZs; the network settings guarantee azCount >= 2.");
        if (c.UsesDatabase && args.Database is null)
            throw new InvalidOperationException($"Service '{args.Service}' uses the database, but the stack has none (the settings check this).");
        var database = c.UsesDatabase ? args.Database : null;

        Images = new ImageRepository(scope, args.Service, args.Profile, aws, c.KeepImages);
        LogGroup = args.Logs.Add(scope, "logs", $"/{scope.Stack.Project}/{scope.Stack.Stack}/{args.Service}/containers", stateful: true);

        SecurityGroups = new ServiceSecurityGroups(scope, args.Service, c.Port, c.CertificateArn is not null, args.Network.Vpc.Id, database);

        ExecutionRole = EcsRoles.Create(scope, "execution-role", $"Lets ECS start {args.Service}'s tasks: pull its image, write its logs.", aws);
        var executionPolicy = scope.Add("execution-policy", new RolePolicyArgs
        {
            Role = ExecutionRole.Id,
            Policy = new PolicyDocument([.. Images.GrantPull(), EcsRoles.WriteLogs(LogGroup.Arn)]).ToJson(),
        });
        TaskRole = EcsRoles.Create(scope, "task-role", $"What {args.Service}'s code may do in AWS: the stores it owns{(database is null ? "" : ", its database user")}.", aws);
        IReadOnlyList<PolicyStatement> taskGrants = database is null ? args.TaskGrants : [.. args.TaskGrants, database.GrantConnect(args.Service, aws)];
        var taskPolicy = taskGrants.Count == 0 ? null
            : scope.Add("task-policy", new RolePolicyArgs { Role = TaskRole.Id, Policy = new PolicyDocument(taskGrants).ToJson() });

        Endpoint = new PublicEndpoint(scope, new PublicEndpointArgs(c.Port, c.HealthPath, c.CertificateArn, args.Network,
            SecurityGroups.Alb.Id, protect, args.AccessLogs));
        args.Firewall?.Protect(scope, Endpoint.LoadBalancer.Arn);
        database?.AdmitService(args.Service, SecurityGroups.Tasks.Id);

        if (c.Image is not { } image) return;

        TaskDefinition = scope.Add("task", new TaskDefinitionArgs
        {
            Family = scope.PhysicalName("task"),
            Cpu = c.Cpu.ToString(CultureInfo.InvariantCulture),
            Memory = c.Memory.ToString(CultureInfo.InvariantCulture),
            NetworkMode = "awsvpc",
            RequiresCompatibilities = ["FARGATE"],
            RuntimePlatform = new TaskDefinitionRuntimePlatform { OperatingSystemFamily = "LINUX", CpuArchitecture = "X86_64" },
            ExecutionRoleArn = ExecutionRole.Arn,
            TaskRoleArn = TaskRole.Arn,
            Volumes = [new TaskDefinitionVolume { Name = ContainerDefinition.TmpVolume }],
            ContainerDefinitions = ContainerDefinition.ToJson(Container(args, image, database)),
        });

        Service = scope.Add("service", new ServiceArgs
        {
            Cluster = args.Cluster.Arn,
            TaskDefinition = TaskDefinition.Arn,
            LaunchType = "FARGATE",
            PlatformVersion = "LATEST",
            DesiredCount = c.DesiredCount,
            DeploymentCircuitBreaker = new ServiceDeploymentCircuitBreaker { Enable = true, Rollback = true },
            DeploymentMinimumHealthyPercent = 100,
            DeploymentMaximumPercent = 200,
            HealthCheckGracePeriodSeconds = c.HealthCheckGraceSeconds,
            WaitForSteadyState = true,
            NetworkConfiguration = new ServiceNetworkConfiguration
            {
                Subnets = [.. args.Network.PrivateSubnets.Select(s => (Input<string>)s.Id)],
                SecurityGroups = [SecurityGroups.Tasks.Id],
                AssignPublicIp = false,
            },
            LoadBalancers = [new ServiceLoadBalancer { TargetGroupArn = Endpoint.TargetGroup.Arn, ContainerName = args.Service, ContainerPort = c.Port }],
            EnableEcsManagedTags = true,
            PropagateTags = "SERVICE",
            EnableExecuteCommand = false,
        }, new ResourceOptions
        {
            // Autoscaling owns the task count after the first deployment (Application Auto Scaling changes
            // desiredCount; a deploy must not reset it); the target group must be attached to the ALB (through a
            // listener) before a service can register into it (ECS developer guide, "Use load balancing"); and the
            // first tasks start at once, so the roles' policies (pull the image, the code's grants) come first: the
            // task definition names only the roles.
            IgnoreChanges = ["desiredCount"],
            DependsOn = [.. Endpoint.Listeners, executionPolicy, .. taskPolicy is null ? Array.Empty<Resource>() : [taskPolicy]],
        });

        Scaling = new ServiceScaling(scope, args.Cluster.Name, Service.Name, c.MinCount, c.MaxCount, c.CpuTargetPercent, Endpoint.ResourceLabel, c.RequestsPerTarget);
    }

    public ImageRepository Images { get; }

    public LogGroup LogGroup { get; }

    public ServiceSecurityGroups SecurityGroups { get; }

    public Role ExecutionRole { get; }

    public Role TaskRole { get; }

    public PublicEndpoint Endpoint { get; }

    /// <summary>The task definition; null until the service names an image.</summary>
    public TaskDefinition? TaskDefinition { get; }

    /// <summary>The ECS service; null until the service names an image.</summary>
    public Service? Service { get; }

    /// <summary>The autoscaling of the service; null until the service names an image.</summary>
    public ServiceScaling? Scaling { get; }

    /// <summary>Creates the service in scope <c>&lt;service&gt;-app</c> and exports its ALB DNS name, URL and repository URL.</summary>
    public static ContainerService Create(StackContext stack, ServiceSettings service, ContainerSettings container, StackSettings settings,
        Network network, ContainerCluster cluster, IReadOnlyList<PolicyStatement> taskGrants, Database? database, AlbAccessLogs? accessLogs, LogGroups logs, WebFirewall? firewall)
    {
        var scope = new ComponentScope(stack, service.Name, service.Tags).Child(ContainerSettings.PartName);
        var created = new ContainerService(scope, new ContainerServiceArgs(service.Name, container, settings.Profile, settings.Aws, network,
            cluster.Cluster, taskGrants, database, accessLogs, logs, firewall));
        stack.Template.Export(StackOutputs.AlbDnsName(service.Name), created.Endpoint.LoadBalancer.DnsName);
        stack.Template.Export(StackOutputs.Url(service.Name), created.Endpoint.Url);
        stack.Template.Export(StackOutputs.RepositoryUrl(service.Name), created.Images.Repository.RepositoryUrl);
        return created;
    }

    /// <summary>The service's one container: its image, port, health check, environment and, with a database, how to reach it.</summary>
    private ContainerDefinition Container(ContainerServiceArgs args, string image, Database? database)
    {
        var c = args.Container;
        var environment = c.Environment.Select(e => (e.Key, (Value)new StringValue(e.Value))).ToList();
        if (database is not null)
        {
            // IAM database authentication: the code asks RDS for a token (valid 15 minutes) with its task role each
            // time it opens a connection, over TLS, as its own user (RDS user guide, "Connecting to your DB instance
            // using IAM authentication"). No password reaches the task, so rotations of the master secret change nothing.
            environment.Add(("DB_AUTH", new StringValue("iam")));
            environment.Add(("DB_ENGINE", new StringValue(database.Settings.Engine.Name)));
            environment.Add(("DB_HOST", database.Address.Expression));
            environment.Add(("DB_PORT", new StringValue(database.Settings.Port.ToString(CultureInfo.InvariantCulture))));
            environment.Add(("DB_NAME", new StringValue(database.Settings.DatabaseName)));
            environment.Add(("DB_REGION", new StringValue(args.Aws.Region)));
            environment.Add(("DB_USERNAME", new StringValue(Database.UserOf(args.Service))));
        }
        return new ContainerDefinition(args.Service, Images.Image(image), c.User, LogGroup.Name, args.Aws.Region)
        {
            Environment = environment,
            Port = c.Port,
            // ECS replaces a task whose container stops answering (the image needs curl).
            HealthCheck = ($"curl -fsS http://localhost:{c.Port}{c.HealthPath} > /dev/null || exit 1", Math.Min(300, Math.Max(c.HealthCheckGraceSeconds, 10))),
        };
    }
}
