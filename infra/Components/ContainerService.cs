using Platform.Infra.Aws;
using Platform.Infra.Aws.AppAutoScaling;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Ecr;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.Lb;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>The stack's ECS cluster, shared by every container service: Fargate only, Container Insights on (ECS.12).</summary>
public sealed class ContainerCluster
{
    public const string ComponentName = "ecs";

    public ContainerCluster(ComponentScope scope)
    {
        Cluster = scope.Add("cluster", new ClusterArgs
        {
            Settings = [new ClusterSetting { Name = "containerInsights", Value = "enabled" }],
        });
    }

    public Cluster Cluster { get; }

    public static ContainerCluster Create(StackContext stack) => new(new ComponentScope(stack, ComponentName));
}

/// <summary>Where an ALB writes its access logs (ELB.5): an SSE-S3 bucket whose policy lets ELB log delivery write under the prefix.</summary>
/// <param name="Bucket">The bucket's name.</param>
/// <param name="Prefix">The key prefix (no trailing '/').</param>
/// <param name="Policy">The bucket policy that lets ELB write: the ALB waits for it (AWS tests the write when logging is turned on).</param>
public sealed record AlbAccessLogs(Output<string> Bucket, string Prefix, Resource Policy);

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
public sealed record ContainerServiceArgs(
    string Service,
    ContainerSettings Container,
    StageProfile Profile,
    AwsSettings Aws,
    Network Network,
    Cluster Cluster,
    IReadOnlyList<PolicyStatement> TaskGrants,
    Database? Database,
    AlbAccessLogs? AccessLogs);

/// <summary>
/// One containerised service on ECS Fargate behind its own internet-facing ALB, the way CDK's
/// ApplicationLoadBalancedFargateService does it, with secure defaults:
/// <list type="bullet">
/// <item>an ECR repository (scan on push ECR.1, immutable tags ECR.2, the service's CMK, a lifecycle policy ECR.3) and a log group;</item>
/// <item>a task definition (awsvpc, validated Fargate size, non-root read-only container ECS.4/5, awslogs ECS.9, a
/// container health check, database credentials from the RDS-managed secret by ARN ECS.8);</item>
/// <item>an execution role (pull this repository, write this log group, read this secret) and a separate task role (the store grants);</item>
/// <item>the service in private subnets with no public IP (ECS.2), circuit breaker with rollback, 100/200 %, a grace period,
/// waiting for steady state, desiredCount left to autoscaling (CPU and ALB requests per target);</item>
/// <item>an ALB in the public subnets (ELB.4/5/6/12/13), an ip target group with a health check, HTTPS with a TLS 1.2+
/// policy (ELB.17) and an HTTP → HTTPS redirect (ELB.1), or plain HTTP when no certificate is configured;</item>
/// <item>security groups: internet → ALB on 80/443 only, ALB → tasks on the container port only, tasks → database port
/// and HTTPS out (EC2.18/19).</item>
/// </list>
/// </summary>
public sealed class ContainerService
{
    /// <summary>A TLS 1.3 + 1.2 policy that ELB.17 recommends (ELBSecurityPolicy-TLS13-1-2-2021-06, the console default).</summary>
    public const string TlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    public const int HttpPort = 80;
    public const int HttpsPort = 443;

    public ContainerService(ComponentScope scope, ContainerServiceArgs args)
    {
        var c = args.Container;
        var aws = args.Aws;
        var protect = args.Profile.Protect;
        if (args.Network.PublicSubnets.Count < 2 || args.Network.PrivateSubnets.Count < 2)
            throw new InvalidOperationException("An ALB needs subnets in at least two AZs (ELB.13, B10); the network settings guarantee azCount >= 2.");
        if (c.UsesDatabase && args.Database is null)
            throw new InvalidOperationException($"Service '{args.Service}' uses the database, but the stack has none (the settings check this).");

        Key = CustomerKey.Create(scope, "key", aws, protect, $"Encrypts the container images of {args.Service} in {scope.Stack.Project}/{scope.Stack.Stack}.").Key;

        Repository = scope.Add("repo", new RepositoryArgs
        {
            // One repository per stack and service: two stacks in one account and region never share (or clash on) a name.
            Name = RepositoryName(scope.Stack, args.Service),
            ImageTagMutability = "IMMUTABLE",
            ImageScanningConfiguration = new RepositoryImageScanningConfiguration { ScanOnPush = true },
            EncryptionConfigurations = [new RepositoryEncryptionConfiguration { EncryptionType = "KMS", KmsKey = Key.Arn }],
            ForceDelete = args.Profile.DisposableData,
        }, ResourceOptions.Stateful(protect));
        scope.Add("repo-lifecycle", new LifecyclePolicyArgs
        {
            Repository = Repository.Name,
            Policy = Input<string>.FromValue(FunctionValue.ToJson(LifecyclePolicy(c.KeepImages))),
        });

        LogGroup = scope.Add("logs", new LogGroupArgs
        {
            Name = $"/{scope.Stack.Project}/{scope.Stack.Stack}/{args.Service}/containers",
            RetentionInDays = args.Profile.LogRetentionDays,
        }, ResourceOptions.Stateful(protect));

        var (albSg, taskSg) = SecurityGroups(scope, args);
        AlbSecurityGroup = albSg;
        TaskSecurityGroup = taskSg;

        ExecutionRole = Role(scope, "execution-role", $"Lets ECS start {args.Service}'s tasks: pull its image, write its logs.", aws);
        scope.Add("execution-policy", new RolePolicyArgs
        {
            Role = ExecutionRole.Id,
            Policy = new PolicyDocument(ExecutionStatements()).ToJson(),
        });
        TaskRole = Role(scope, "task-role", $"What {args.Service}'s code may do in AWS: the stores it owns{(c.UsesDatabase ? ", its database user" : "")}.", aws);
        IReadOnlyList<PolicyStatement> taskGrants = c.UsesDatabase ? [.. args.TaskGrants, args.Database!.GrantConnect(args.Service, aws)] : args.TaskGrants;
        if (taskGrants.Count > 0)
            scope.Add("task-policy", new RolePolicyArgs { Role = TaskRole.Id, Policy = new PolicyDocument(taskGrants).ToJson() });

        LoadBalancer = scope.Add("alb", new LoadBalancerArgs
        {
            Name = scope.PhysicalName("alb", LoadBalancerNameLength),
            LoadBalancerType = "application",
            Internal = false,
            IpAddressType = "ipv4",
            Subnets = [.. args.Network.PublicSubnets.Select(s => (Input<string>)s.Id)],
            SecurityGroups = [AlbSecurityGroup.Id],
            DropInvalidHeaderFields = true,
            DesyncMitigationMode = "defensive",
            EnableDeletionProtection = protect,
            EnableHttp2 = true,
            IdleTimeout = 60,
            AccessLogs = args.AccessLogs is { } logs ? (Input<LoadBalancerAccessLogs>)new LoadBalancerAccessLogs { Bucket = logs.Bucket, Prefix = logs.Prefix, Enabled = true } : null,
        }, args.AccessLogs is { } delivery ? new ResourceOptions { DependsOn = [delivery.Policy] } : null);

        TargetGroup = scope.Add("tg", new TargetGroupArgs
        {
            // The port is in the name: changing it replaces the target group, and the new one must not clash with the old.
            Name = scope.PhysicalName($"tg-{c.Port}", LoadBalancerNameLength),
            TargetType = "ip",
            Protocol = "HTTP",
            ProtocolVersion = "HTTP1",
            Port = c.Port,
            VpcId = args.Network.Vpc.Id,
            DeregistrationDelay = 30,
            HealthCheck = new TargetGroupHealthCheck
            {
                Enabled = true,
                Protocol = "HTTP",
                Port = "traffic-port",
                Path = c.HealthPath,
                Matcher = "200-399",
                Interval = 15,
                Timeout = 5,
                HealthyThreshold = 3,
                UnhealthyThreshold = 3,
            },
        });

        Listeners = Listen(scope, c);
        if (c.UsesDatabase) args.Database!.AdmitService(args.Service, TaskSecurityGroup.Id);

        // No image yet (an empty account): no task definition and no service, so the first `pulumi up` never waits
        // on an image that cannot exist. The next `pulumi up` after the image is pushed and named creates them.
        if (c.Image is not { } image) return;

        TaskDefinition = scope.Add("task", new TaskDefinitionArgs
        {
            Family = scope.PhysicalName("task"),
            Cpu = c.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Memory = c.Memory.ToString(System.Globalization.CultureInfo.InvariantCulture),
            NetworkMode = "awsvpc",
            RequiresCompatibilities = ["FARGATE"],
            RuntimePlatform = new TaskDefinitionRuntimePlatform { OperatingSystemFamily = "LINUX", CpuArchitecture = "X86_64" },
            ExecutionRoleArn = ExecutionRole.Arn,
            TaskRoleArn = TaskRole.Arn,
            // The root filesystem is read-only (ECS.5): /tmp is a task-scoped scratch volume.
            Volumes = [new TaskDefinitionVolume { Name = "tmp" }],
            ContainerDefinitions = Input<string>.FromValue(FunctionValue.ToJson(new ListValue([ContainerDefinition(args, image)]))),
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
                SecurityGroups = [TaskSecurityGroup.Id],
                AssignPublicIp = false,
            },
            LoadBalancers = [new ServiceLoadBalancer { TargetGroupArn = TargetGroup.Arn, ContainerName = args.Service, ContainerPort = c.Port }],
            EnableEcsManagedTags = true,
            PropagateTags = "SERVICE",
            EnableExecuteCommand = false,
        }, new ResourceOptions
        {
            // Autoscaling owns the task count after the first deployment (Application Auto Scaling changes
            // desiredCount; a deploy must not reset it); the target group must be attached to the ALB (through a
            // listener) before a service can register into it (ECS developer guide, "Use load balancing").
            IgnoreChanges = ["desiredCount"],
            DependsOn = [.. Listeners],
        });

        Scaling = scope.Add("scaling", new TargetArgs
        {
            ServiceNamespace = "ecs",
            ScalableDimension = "ecs:service:DesiredCount",
            ResourceId = Output.Format($"service/{args.Cluster.Name}/{Service.Name}"),
            MinCapacity = c.MinCount,
            MaxCapacity = c.MaxCount,
        });
        ScaleOn(scope, Scaling, "scale-cpu", "ECSServiceAverageCPUUtilization", null, c.CpuTargetPercent);
        ScaleOn(scope, Scaling, "scale-requests", "ALBRequestCountPerTarget", Output.Format($"{LoadBalancer.ArnSuffix}/{TargetGroup.ArnSuffix}"), c.RequestsPerTarget);
    }

    public Key Key { get; }

    public Repository Repository { get; }

    public LogGroup LogGroup { get; }

    public SecurityGroup AlbSecurityGroup { get; }

    public SecurityGroup TaskSecurityGroup { get; }

    public Role ExecutionRole { get; }

    public Role TaskRole { get; }

    /// <summary>The task definition; null until the service names an image.</summary>
    public TaskDefinition? TaskDefinition { get; }

    public LoadBalancer LoadBalancer { get; }

    public TargetGroup TargetGroup { get; }

    public IReadOnlyList<Listener> Listeners { get; }

    /// <summary>The ECS service; null until the service names an image.</summary>
    public Service? Service { get; }

    /// <summary>The autoscaling target; null until the service names an image.</summary>
    public Target? Scaling { get; }

    /// <summary>ALB and target group names: at most 32 characters (Elastic Load Balancing API reference, CreateLoadBalancer, CreateTargetGroup).</summary>
    public const int LoadBalancerNameLength = 32;

    /// <summary>The service's ECR repository: <c>&lt;project&gt;/&lt;stack&gt;/&lt;service&gt;</c>.</summary>
    public static string RepositoryName(StackContext stack, string service) => $"{stack.Project}/{stack.Stack}/{service}";

    /// <summary>Whether the ALB serves HTTPS (a certificate is configured).</summary>
    public bool Https { get; private set; }

    /// <summary>The URL the service answers on: the ALB's DNS name (a custom domain would point there).</summary>
    public Output<string> Url => Https ? Output.Format($"https://{LoadBalancer.DnsName}") : Output.Format($"http://{LoadBalancer.DnsName}");

    /// <summary>Creates the service in scope <c>&lt;service&gt;-app</c> and exports its ALB DNS name, URL and repository URL.</summary>
    public static ContainerService Create(StackContext stack, ServiceSettings service, ContainerSettings container, StackSettings settings,
        Network network, ContainerCluster cluster, IReadOnlyList<PolicyStatement> taskGrants, Database? database, AlbAccessLogs? accessLogs)
    {
        var scope = new ComponentScope(stack, service.Name, service.Tags).Child("app");
        var created = new ContainerService(scope, new ContainerServiceArgs(service.Name, container, settings.Profile, settings.Aws, network,
            cluster.Cluster, taskGrants, database, accessLogs));
        stack.Template.Export($"{service.Name}-albDnsName", created.LoadBalancer.DnsName);
        stack.Template.Export($"{service.Name}-url", created.Url);
        stack.Template.Export($"{service.Name}-repositoryUrl", created.Repository.RepositoryUrl);
        return created;
    }

    /// <summary>Keep the newest <paramref name="keep"/> images; untagged ones (failed or superseded pushes) go after a day.</summary>
    private static MapValue LifecyclePolicy(int keep) => MapValue.From([new("rules", new ListValue(
    [
        MapValue.From(
        [
            new("rulePriority", new NumberValue(1)),
            new("description", new StringValue("Expire untagged images after 1 day")),
            new("selection", MapValue.From(
            [
                new("tagStatus", new StringValue("untagged")),
                new("countType", new StringValue("sinceImagePushed")),
                new("countUnit", new StringValue("days")),
                new("countNumber", new NumberValue(1)),
            ])),
            new("action", MapValue.From([new("type", new StringValue("expire"))])),
        ]),
        MapValue.From(
        [
            new("rulePriority", new NumberValue(2)),
            new("description", new StringValue($"Keep the last {keep} images")),
            new("selection", MapValue.From(
            [
                new("tagStatus", new StringValue("any")),
                new("countType", new StringValue("imageCountMoreThan")),
                new("countNumber", new NumberValue(keep)),
            ])),
            new("action", MapValue.From([new("type", new StringValue("expire"))])),
        ]),
    ]))]);

    /// <summary>
    /// The ALB's and the tasks' security groups, with every rule a separate resource naming its peer: internet → ALB
    /// on 443 (and 80, which only redirects when HTTPS is on), ALB → tasks on the container port, tasks → the
    /// database port and HTTPS out (ECR, CloudWatch Logs, Secrets Manager, S3 through NAT or the gateway endpoint).
    /// </summary>
    private static (SecurityGroup Alb, SecurityGroup Tasks) SecurityGroups(ComponentScope scope, ContainerServiceArgs args)
    {
        var c = args.Container;
        var vpc = args.Network.Vpc.Id;
        var alb = scope.Add("alb-sg", new SecurityGroupArgs { VpcId = vpc, Description = $"{args.Service} ALB: HTTP(S) from the internet, to the tasks only" });
        var tasks = scope.Add("task-sg", new SecurityGroupArgs { VpcId = vpc, Description = $"{args.Service} tasks: port {c.Port} from the ALB only" });

        var publicPorts = c.CertificateArn is null ? new[] { HttpPort } : [HttpPort, HttpsPort];
        foreach (var port in publicPorts)
            scope.Add($"alb-in-{port}", new SecurityGroupIngressRuleArgs
            {
                SecurityGroupId = alb.Id,
                CidrIpv4 = "0.0.0.0/0",
                IpProtocol = "tcp",
                FromPort = port,
                ToPort = port,
                Description = port == HttpsPort ? "HTTPS from the internet" : c.CertificateArn is null ? "HTTP from the internet" : "HTTP from the internet (redirected to HTTPS)",
            });
        scope.Add("alb-out-tasks", new SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = alb.Id,
            ReferencedSecurityGroupId = tasks.Id,
            IpProtocol = "tcp",
            FromPort = c.Port,
            ToPort = c.Port,
            Description = $"to {args.Service} tasks",
        });
        scope.Add("task-in-alb", new SecurityGroupIngressRuleArgs
        {
            SecurityGroupId = tasks.Id,
            ReferencedSecurityGroupId = alb.Id,
            IpProtocol = "tcp",
            FromPort = c.Port,
            ToPort = c.Port,
            Description = $"from the {args.Service} ALB",
        });
        scope.Add("task-out-https", new SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = tasks.Id,
            CidrIpv4 = "0.0.0.0/0",
            IpProtocol = "tcp",
            FromPort = HttpsPort,
            ToPort = HttpsPort,
            Description = "HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager, S3) and the internet",
        });
        if (c.UsesDatabase)
        {
            var db = args.Database!;
            scope.Add("task-out-db", new SecurityGroupEgressRuleArgs
            {
                SecurityGroupId = tasks.Id,
                ReferencedSecurityGroupId = db.SecurityGroup.Id,
                IpProtocol = "tcp",
                FromPort = db.Settings.Port,
                ToPort = db.Settings.Port,
                Description = $"{db.Settings.Engine.Name} to the database",
            });
        }
        return (alb, tasks);
    }

    /// <summary>A role only ECS tasks (and the ECS agent starting them) in this account can assume.</summary>
    private static Role Role(ComponentScope scope, string role, string description, AwsSettings aws) => scope.Add(role, new RoleArgs
    {
        Name = scope.PhysicalName(role.Replace("-role", "", StringComparison.Ordinal), ComponentScope.RoleNameLength),
        Description = description,
        // aws:SourceAccount only: ECS documents aws:SourceArn for task roles, not for the execution role.
        AssumeRolePolicy = PolicyDocument.AssumableBy("ecs-tasks.amazonaws.com", aws.AccountId).ToJson(),
    });

    /// <summary>What ECS needs to start the task, on this service's resources only.</summary>
    private List<PolicyStatement> ExecutionStatements()
    {
        var statements = new List<PolicyStatement>
        {
            new()
            {
                Sid = "PullImage",
                Actions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resources = [Repository.Arn],
            },
            // ecr:GetAuthorizationToken does not support resource-level permissions: AWS requires Resource "*"
            // (Service Authorization Reference, Amazon ECR). The token only lets the role use repositories its
            // other statements allow, i.e. this one.
            new()
            {
                Sid = "RegistryLogin",
                Actions = ["ecr:GetAuthorizationToken"],
                Resources = [PolicyStatement.Literal("*")],
            },
            new()
            {
                Sid = "WriteLogs",
                Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resources = [Output.Format($"{LogGroup.Arn}:log-stream:*")],
            },
        };
        return statements;
    }

    /// <summary>The one container: a JSON object for <c>containerDefinitions</c> (rendered with fn::toJSON).</summary>
    private MapValue ContainerDefinition(ContainerServiceArgs args, string image)
    {
        var c = args.Container;
        var environment = c.Environment.Select(e => (e.Key, Value: (Value)new StringValue(e.Value))).ToList();
        if (c.UsesDatabase)
        {
            // IAM database authentication: the code asks RDS for a token (valid 15 minutes) with its task role each
            // time it opens a connection, over TLS, as its own user (RDS user guide, "Connecting to your DB instance
            // using IAM authentication"). No password reaches the task, so rotations of the master secret change nothing.
            var db = args.Database!;
            environment.Add(("DB_AUTH", new StringValue("iam")));
            environment.Add(("DB_ENGINE", new StringValue(db.Settings.Engine.Name)));
            environment.Add(("DB_HOST", db.Address.Expression));
            environment.Add(("DB_PORT", new StringValue(db.Settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            environment.Add(("DB_NAME", new StringValue(db.Settings.DatabaseName)));
            environment.Add(("DB_REGION", new StringValue(args.Aws.Region)));
            environment.Add(("DB_USERNAME", new StringValue(Database.UserOf(args.Service))));
        }

        return MapValue.From(
        [
            new("name", new StringValue(args.Service)),
            new("image", Output.Format($"{Repository.RepositoryUrl}{ContainerSettings.Reference(image)}").Expression),
            new("essential", new BoolValue(true)),
            new("user", new StringValue(c.User)),
            new("privileged", new BoolValue(false)),
            new("readonlyRootFilesystem", new BoolValue(true)),
            new("mountPoints", new ListValue([MapValue.From(
            [
                new("sourceVolume", new StringValue("tmp")),
                new("containerPath", new StringValue("/tmp")),
                new("readOnly", new BoolValue(false)),
            ])])),
            new("portMappings", new ListValue([MapValue.From(
            [
                new("containerPort", new NumberValue(c.Port)),
                new("hostPort", new NumberValue(c.Port)),
                new("protocol", new StringValue("tcp")),
            ])])),
            new("environment", new ListValue(environment.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (Value)MapValue.From([new("name", new StringValue(e.Key)), new("value", e.Value)])).ToArray())),
            new("logConfiguration", MapValue.From(
            [
                new("logDriver", new StringValue("awslogs")),
                new("options", MapValue.From(
                [
                    new("awslogs-group", LogGroup.Name.Expression),
                    new("awslogs-region", new StringValue(args.Aws.Region)),
                    new("awslogs-stream-prefix", new StringValue(args.Service)),
                ])),
            ])),
            // ECS replaces a task whose container stops answering (the image needs curl).
            new("healthCheck", MapValue.From(
            [
                new("command", new ListValue([new StringValue("CMD-SHELL"), new StringValue($"curl -fsS http://localhost:{c.Port}{c.HealthPath} > /dev/null || exit 1")])),
                new("interval", new NumberValue(30)),
                new("timeout", new NumberValue(5)),
                new("retries", new NumberValue(3)),
                new("startPeriod", new NumberValue(Math.Min(300, Math.Max(c.HealthCheckGraceSeconds, 10)))),
            ])),
        ]);
    }

    /// <summary>HTTPS (TLS 1.2+) with an HTTP → HTTPS redirect, or plain HTTP forward when there is no certificate.</summary>
    private List<Listener> Listen(ComponentScope scope, ContainerSettings c)
    {
        var forward = new ListenerDefaultAction { Type = "forward", TargetGroupArn = TargetGroup.Arn };
        if (c.CertificateArn is null)
        {
            Https = false;
            return [scope.Add("http", new ListenerArgs { LoadBalancerArn = LoadBalancer.Arn, Port = HttpPort, Protocol = "HTTP", DefaultActions = [forward] })];
        }
        Https = true;
        return
        [
            scope.Add("https", new ListenerArgs
            {
                LoadBalancerArn = LoadBalancer.Arn,
                Port = HttpsPort,
                Protocol = "HTTPS",
                SslPolicy = TlsPolicy,
                CertificateArn = c.CertificateArn,
                DefaultActions = [forward],
            }),
            scope.Add("http", new ListenerArgs
            {
                LoadBalancerArn = LoadBalancer.Arn,
                Port = HttpPort,
                Protocol = "HTTP",
                DefaultActions =
                [
                    new ListenerDefaultAction
                    {
                        Type = "redirect",
                        Redirect = new ListenerDefaultActionRedirect { Protocol = "HTTPS", Port = "443", StatusCode = "HTTP_301" },
                    },
                ],
            }),
        ];
    }

    private static void ScaleOn(ComponentScope scope, Target scaling, string role, string metric, Output<string>? label, int target) => scope.Add(role, new PolicyArgs
    {
        PolicyType = "TargetTrackingScaling",
        ServiceNamespace = scaling.ServiceNamespace,
        ScalableDimension = scaling.ScalableDimension,
        ResourceId = scaling.ResourceId,
        TargetTrackingScalingPolicyConfiguration = new PolicyTargetTrackingScalingPolicyConfiguration
        {
            TargetValue = target,
            ScaleInCooldown = 300,
            ScaleOutCooldown = 60,
            PredefinedMetricSpecification = new PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification
            {
                PredefinedMetricType = metric,
                ResourceLabel = label is null ? null : (Input<string>)label,
            },
        },
    });
}
