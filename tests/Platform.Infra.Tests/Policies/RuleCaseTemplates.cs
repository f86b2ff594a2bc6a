using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Ecr;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.Lb;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Aws.Sqs;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using static Platform.Infra.Tests.Policies.PolicyBuilders;
using CloudFront = Platform.Infra.Aws.CloudFront;
using Dms = Platform.Infra.Aws.Dms;
using Lambda = Platform.Infra.Aws.Lambda;
using Waf = Platform.Infra.Aws.Wafv2;

namespace Platform.Infra.Tests.Policies;

/// <summary>The minimal templates of every rule, built from the generated resource types.</summary>
public static partial class RuleCases
{
    private static Input<string>? S(string? text) => Input<string>.Optional(text);

    private static Action<Template> Bucket(BucketParts parts) => t => t.AddBucket("data", parts);

    private static Action<Template> GoodBucket => Bucket(new BucketParts());

    // ---- CloudFront -------------------------------------------------------------------------------------------
    private static Action<Template> Site(Func<CloudFront.DistributionArgs, Template, CloudFront.DistributionArgs> change) => t =>
    {
        var origin = t.AddBucket("site");
        var replica = t.AddBucket("site-replica");
        var logs = t.AddBucket("cf-logs", new BucketParts { LogTo = null, Ownership = "BucketOwnerPreferred" });
        t.Add(new CloudFront.Distribution("cdn", change(SiteDistribution(origin, logs, replica, t.AddOac()), t)));
    };

    private static CloudFront.DistributionViewerCertificate DefaultCertificate => new() { CloudfrontDefaultCertificate = true };

    private static CloudFront.DistributionOrigin AlbOrigin(string policy, params string[] protocols) => new()
    {
        OriginId = "api", DomainName = "api.example.com",
        CustomOriginConfig = new CloudFront.DistributionOriginCustomOriginConfig { HttpPort = 80, HttpsPort = 443, OriginProtocolPolicy = policy, OriginSslProtocols = protocols },
    };

    // ---- RDS --------------------------------------------------------------------------------------------------
    private static InstanceArgs Db => new()
    {
        InstanceClass = "db.t4g.medium", Engine = "postgres", EngineVersion = "16", Port = 5433, Username = "platform", ManageMasterUserPassword = true,
        StorageEncrypted = true, KmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/1", MultiAz = true, DeletionProtection = true, PubliclyAccessible = false,
        BackupRetentionPeriod = 14, AutoMinorVersionUpgrade = true, CopyTagsToSnapshot = true, DbSubnetGroupName = "db-subnets",
        MonitoringInterval = 60, MonitoringRoleArn = "arn:aws:iam::111111111111:role/rds-monitoring", IamDatabaseAuthenticationEnabled = true,
        EnabledCloudwatchLogsExports = new[] { "postgresql", "upgrade" }, SkipFinalSnapshot = false, FinalSnapshotIdentifier = "db-final",
    };

    private static Action<Template> Rds(Func<InstanceArgs, InstanceArgs> change) => t =>
    {
        var topic = "arn:aws:sns:eu-west-1:111111111111:ops";
        t.Add(new EventSubscription("db-events", new EventSubscriptionArgs { SnsTopic = topic, SourceType = "db-instance", EventCategories = new[] { "failure", "maintenance", "configuration change" } }));
        t.Add(new EventSubscription("pg-events", new EventSubscriptionArgs { SnsTopic = topic, SourceType = "db-parameter-group", EventCategories = new[] { "configuration change" } }));
        t.Add(new EventSubscription("sg-events", new EventSubscriptionArgs { SnsTopic = topic, SourceType = "db-security-group" }));
        t.Add(new Instance("db", change(Db), ResourceOptions.Stateful(protect: true)));
    };

    /// <summary>An instance whose only event subscription (<paramref name="source"/>) covers just <c>failure</c>.</summary>
    private static Action<Template> RdsWithFailureEventsOnly(string source) => t =>
    {
        t.Add(new EventSubscription("events", new EventSubscriptionArgs { SnsTopic = "arn:aws:sns:eu-west-1:111111111111:ops", SourceType = source, EventCategories = new[] { "failure" } }));
        t.Add(new Instance("db", Db, ResourceOptions.Stateful(protect: true)));
    };

    // ---- DMS ----------------------------------------------------------------------------------------------------
    private static Action<Template> Replication(Func<Dms.ReplicationInstanceArgs, Dms.ReplicationInstanceArgs> change) => t =>
        t.Add(new Dms.ReplicationInstance("replication", change(new Dms.ReplicationInstanceArgs
        {
            ReplicationInstanceId = "replication", ReplicationInstanceClass = "dms.r6i.large", PubliclyAccessible = false, AutoMinorVersionUpgrade = true, MultiAz = true,
        })));

    private static Action<Template> DmsEndpoint(string sslMode) => t =>
        t.Add(new Dms.Endpoint("endpoint", new Dms.EndpointArgs
        {
            EndpointId = "endpoint", EndpointType = "source", EngineName = "mysql", SslMode = sslMode,
            SecretsManagerArn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:source-AbCdEf", SecretsManagerAccessRoleArn = "arn:aws:iam::111111111111:role/dms-secrets",
        }));

    // ---- Monitoring ---------------------------------------------------------------------------------------------
    private const string Topic = "arn:aws:sns:eu-west-1:111111111111:alarms";

    private static Action<Template> Alarm(Func<MetricAlarmArgs, MetricAlarmArgs> change) => t =>
        t.Add(new MetricAlarm("alarm", change(new MetricAlarmArgs
        {
            Namespace = "AWS/RDS", MetricName = "CPUUtilization", Statistic = "Average", Period = 300, EvaluationPeriods = 3,
            ComparisonOperator = "GreaterThanThreshold", Threshold = 80, AlarmActions = new[] { Topic },
        })));

    private static Action<Template> SnsTopic(string? key, PolicyStatement? statement = null) => t =>
    {
        var topic = t.Add(new Platform.Infra.Aws.Sns.Topic("topic", new Platform.Infra.Aws.Sns.TopicArgs { KmsMasterKeyId = Input<string>.Optional(key) }));
        if (statement is not null)
            t.Add(new Platform.Infra.Aws.Sns.TopicPolicy("topic-policy", new Platform.Infra.Aws.Sns.TopicPolicyArgs { Arn = topic.Arn, Policy = new PolicyDocument(statement with { Resources = [topic.Arn] }).ToJson() }));
    };

    // ---- ECS --------------------------------------------------------------------------------------------------
    private const string GoodContainer = """
        {"name": "app", "image": "app:1", "essential": true, "readonlyRootFilesystem": true, "user": "1000",
         "environment": [{"name": "PORT", "value": "8080"}],
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app"}}}
        """;

    private static Action<Template> Task(string containers, string? networkMode = "awsvpc", string? pidMode = null) => t =>
        t.Add(new TaskDefinition("task", new TaskDefinitionArgs
        {
            Family = "app", ContainerDefinitions = Json(containers), NetworkMode = S(networkMode), PidMode = S(pidMode), RequiresCompatibilities = new[] { "FARGATE" },
            Cpu = "256", Memory = "512",
        }));

    private static ServiceArgs Svc => new()
    {
        Cluster = "cluster", TaskDefinition = "task", DesiredCount = 2, LaunchType = "FARGATE",
        NetworkConfiguration = new ServiceNetworkConfiguration { Subnets = new[] { "subnet-a", "subnet-b" }, AssignPublicIp = false, SecurityGroups = new[] { "sg-1" } },
        DeploymentCircuitBreaker = new ServiceDeploymentCircuitBreaker { Enable = true, Rollback = true },
    };

    private static Action<Template> Service(Func<ServiceArgs, ServiceArgs> change) => t => t.Add(new Service("svc", change(Svc)));

    // ---- ALB --------------------------------------------------------------------------------------------------
    private static LoadBalancerArgs Alb => new()
    {
        LoadBalancerType = "application", Subnets = new[] { "subnet-a", "subnet-b" }, DropInvalidHeaderFields = true, EnableDeletionProtection = true,
        DesyncMitigationMode = "defensive", AccessLogs = new LoadBalancerAccessLogs { Bucket = "alb-logs", Enabled = true, Prefix = "alb" },
    };

    private static Action<Template> Lb(Func<LoadBalancerArgs, LoadBalancerArgs> change) => t => t.Add(new LoadBalancer("alb", change(Alb)));

    private static ListenerDefaultAction Redirect(string protocol) => new()
    {
        Type = "redirect", Redirect = new ListenerDefaultActionRedirect { Protocol = protocol, Port = "443", StatusCode = "HTTP_301" },
    };

    private static Action<Template> Listener(string protocol, ListenerDefaultAction action, string? sslPolicy = null) => t =>
        t.Add(new Listener("listener", new ListenerArgs
        {
            LoadBalancerArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/alb/1", Protocol = protocol, Port = protocol == "HTTPS" ? 443 : 80,
            SslPolicy = S(sslPolicy), CertificateArn = S(protocol == "HTTPS" ? "arn:aws:acm:eu-west-1:111111111111:certificate/1" : null), DefaultActions = new[] { action },
        }));

    private static ListenerDefaultAction Forward => new() { Type = "forward", TargetGroupArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/tg/1" };

    // ---- VPC --------------------------------------------------------------------------------------------------
    private static Action<Template> Network(bool defaultSg = true, bool flowLog = true, string traffic = "ALL", bool ec2Endpoint = true, DefaultSecurityGroupIngress? sgRule = null) => t =>
    {
        var vpc = t.Add(new Vpc("vpc", new VpcArgs { CidrBlock = "10.0.0.0/16" }));
        if (defaultSg) t.Add(new DefaultSecurityGroup("default-sg", new DefaultSecurityGroupArgs { VpcId = vpc.Id, Ingress = sgRule is null ? null : (InputList<DefaultSecurityGroupIngress>)new[] { sgRule } }));
        if (flowLog) t.Add(new FlowLog("flow-log", new FlowLogArgs { VpcId = vpc.Id, TrafficType = traffic, LogDestinationType = "cloud-watch-logs", LogDestination = "arn:aws:logs:eu-west-1:111111111111:log-group:flow", IamRoleArn = "arn:aws:iam::111111111111:role/flow" }));
        if (ec2Endpoint) t.Add(new VpcEndpoint("ec2-endpoint", new VpcEndpointArgs { VpcId = vpc.Id, ServiceName = "com.amazonaws.eu-west-1.ec2", VpcEndpointType = "Interface", PrivateDnsEnabled = true }));
    };

    private static Action<Template> InlineSg(string cidr, int from, int to, string protocol = "tcp") => t =>
        t.Add(new SecurityGroup("sg", new SecurityGroupArgs
        {
            VpcId = "vpc-1", Description = "test",
            Ingress = new[] { new SecurityGroupIngress { CidrBlocks = new[] { cidr }, FromPort = from, ToPort = to, Protocol = protocol, Description = "test" } },
        }));

    private static Action<Template> IngressRule(string cidr, int port, string? referencedSg = null) => t =>
        t.Add(new SecurityGroupIngressRule("ingress", new SecurityGroupIngressRuleArgs
        {
            SecurityGroupId = "sg-1", IpProtocol = "tcp", FromPort = port, ToPort = port,
            CidrIpv4 = S(referencedSg is null ? cidr : null), ReferencedSecurityGroupId = S(referencedSg),
        }));

    private static Action<Template> AclRule(string cidr, int port, string action = "allow") => t =>
        t.Add(new NetworkAclRule("acl-rule", new NetworkAclRuleArgs
        {
            NetworkAclId = "acl-1", RuleNumber = 100, Egress = false, Protocol = "tcp", RuleAction = action, CidrBlock = cidr, FromPort = port, ToPort = port,
        }));

    // ---- IAM / KMS --------------------------------------------------------------------------------------------
    private const string RoleTrust = """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""";

    private static Action<Template> RolePolicy(string action, string resource) => t =>
    {
        var role = t.Add(new Role("role", new RoleArgs { AssumeRolePolicy = Json(RoleTrust) }));
        t.Add(new RolePolicy("role-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = Doc(new PolicyStatement { Actions = [action], Resources = [PolicyStatement.Literal(resource)] }),
        }));
    };

    private static Action<Template> RoleInline(string action, string resource) => t =>
        t.Add(new Role("role", new RoleArgs
        {
            AssumeRolePolicy = Json(RoleTrust),
            InlinePolicies = new[] { new RoleInlinePolicy { Name = "inline", Policy = Doc(new PolicyStatement { Actions = [action], Resources = [PolicyStatement.Literal(resource)] }) } },
        }));

    private static Action<Template> Trust(string principalJson, string? condition = null) => t =>
        t.Add(new Role("role", new RoleArgs
        {
            AssumeRolePolicy = Json($$"""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {{principalJson}}, "Action": "sts:AssumeRole"{{(condition is null ? "" : $", \"Condition\": {condition}")}}}]}"""),
        }));

    private const string KeyPolicyOwn = """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*", "Resource": "*"}]}""";

    private static Action<Template> Key(Func<KeyArgs, KeyArgs> change, ResourceOptions? options = null) => t =>
        t.Add(new Key("key", change(new KeyArgs { EnableKeyRotation = true, DeletionWindowInDays = 30, Policy = Json(KeyPolicyOwn) }), options ?? ResourceOptions.Stateful(protect: true)));

    // ---- Other services ---------------------------------------------------------------------------------------
    private static Action<Template> Repo(Func<RepositoryArgs, RepositoryArgs> change, bool lifecycle = true) => t =>
    {
        var repo = t.Add(new Repository("repo", change(new RepositoryArgs
        {
            ImageTagMutability = "IMMUTABLE", ImageScanningConfiguration = new RepositoryImageScanningConfiguration { ScanOnPush = true },
        })));
        if (lifecycle)
            t.Add(new LifecyclePolicy("repo-lifecycle", new LifecyclePolicyArgs
            {
                Repository = repo.Name,
                Policy = Json("""{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}, "action": {"type": "expire"}}]}"""),
            }));
    };

    private static Action<Template> Logs(int? retention, bool encrypted = true) => t =>
        t.Add(new LogGroup("logs", new LogGroupArgs
        {
            Name = "/app",
            RetentionInDays = retention is null ? null : (double)retention.Value,
            KmsKeyId = encrypted ? (Input<string>)"arn:aws:kms:eu-west-1:111111111111:key/logs" : null,
        }));

    private static Action<Template> QueueWithPolicy(string? condition) => t =>
    {
        var queue = t.Add(new Queue("queue", new QueueArgs { SqsManagedSseEnabled = true }));
        t.Add(new QueuePolicy("queue-policy", new QueuePolicyArgs
        {
            QueueUrl = queue.Url,
            Policy = Doc(new PolicyStatement
            {
                Principal = condition is null ? PolicyStatement.Anyone : PolicyStatement.ServicePrincipal("s3.amazonaws.com"), Actions = ["sqs:SendMessage"], Resources = [queue.Arn],
                Conditions = condition is null ? null : Condition("ArnLike", "aws:SourceArn", condition),
            }),
        }));
    };

    private static Action<Template> Function(string? runtime, params string[] subnets) => t =>
        t.Add(new Lambda.Function("fn", new Lambda.FunctionArgs
        {
            Role = "arn:aws:iam::111111111111:role/fn", Runtime = S(runtime), Handler = "index.handler",
            VpcConfig = subnets.Length == 0 ? null : (Input<Lambda.FunctionVpcConfig>)new Lambda.FunctionVpcConfig { SubnetIds = subnets, SecurityGroupIds = new[] { "sg-1" } },
        }));

    /// <summary>A queue (and its dead-letter queue) read by a function with a 60 s timeout.</summary>
    private static Action<Template> QueueMapping(bool redrive, int visibility) => t =>
    {
        var dlq = t.Add(new Queue("dlq", new QueueArgs { SqsManagedSseEnabled = true }));
        var queue = t.Add(new Queue("queue", new QueueArgs
        {
            SqsManagedSseEnabled = true,
            VisibilityTimeoutSeconds = visibility,
            RedrivePolicy = redrive
                ? Input<string>.FromValue(FunctionValue.ToJson(MapValue.From([new("deadLetterTargetArn", dlq.Arn.Expression), new("maxReceiveCount", new NumberValue(5))])))
                : null,
        }));
        var fn = t.Add(new Lambda.Function("fn", new Lambda.FunctionArgs { Role = "arn:aws:iam::111111111111:role/fn", Runtime = "dotnet10", Handler = "x", Timeout = 60 }));
        t.Add(new Lambda.EventSourceMapping("mapping", new Lambda.EventSourceMappingArgs { EventSourceArn = queue.Arn, FunctionName = fn.Arn }));
    };

    private static Action<Template> Permission(string principal, string? sourceArn) => t =>
        t.Add(new Lambda.Permission("permission", new Lambda.PermissionArgs { Action = "lambda:InvokeFunction", Function = "fn", Principal = principal, SourceArn = S(sourceArn) }));

    private static Waf.WebAclRuleVisibilityConfig RuleMetrics(bool on = true) => new() { CloudwatchMetricsEnabled = on, SampledRequestsEnabled = true, MetricName = "rule" };

    private static readonly Waf.WebAclArgs AclArgs = new()
    {
        Scope = "REGIONAL",
        DefaultAction = new Waf.WebAclDefaultAction { Allow = new Waf.WebAclDefaultActionAllow() },
        VisibilityConfig = new Waf.WebAclVisibilityConfig { CloudwatchMetricsEnabled = true, SampledRequestsEnabled = true, MetricName = "acl" },
        Rules = new[] { CommonRule },
    };

    private static Waf.WebAclRule CommonRule => new()
    {
        Name = "common", Priority = 1, OverrideAction = new Waf.WebAclRuleOverrideAction { None = new Waf.WebAclRuleOverrideActionNone() },
        Statement = new Waf.WebAclRuleStatement { ManagedRuleGroupStatement = new Waf.WebAclRuleStatementManagedRuleGroupStatement { VendorName = "AWS", Name = "AWSManagedRulesCommonRuleSet" } },
        VisibilityConfig = RuleMetrics(),
    };

    private static Action<Template> Acl(Func<Waf.WebAclArgs, Waf.WebAclArgs> change, bool logging = true) => t =>
    {
        var acl = t.Add(new Waf.WebAcl("acl", change(AclArgs)));
        if (logging)
            t.Add(new Waf.WebAclLoggingConfiguration("acl-logging", new Waf.WebAclLoggingConfigurationArgs
            {
                ResourceArn = acl.Arn, LogDestinationConfigs = new[] { "arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-acl" },
            }));
    };

    private static Action<Template> LbBehindWaf(bool associated) => t =>
    {
        var alb = t.Add(new LoadBalancer("alb", Alb));
        if (associated)
            t.Add(new Waf.WebAclAssociation("alb-waf", new Waf.WebAclAssociationArgs { ResourceArn = alb.Arn, WebAclArn = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/acl/1" }));
    };

    private static CloudFront.DistributionOrigin SiteOrigin(Template t) => new()
    {
        OriginId = "primary", DomainName = ((Aws.S3.Bucket)t.Find("site")!).BucketRegionalDomainName, OriginAccessControlId = ((CloudFront.OriginAccessControl)t.Find("oac")!).Id,
    };
}
