using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Lb;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Aws.S3;
using Platform.Infra.Aws.SecretsManager;
using Platform.Infra.Aws.Sqs;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using static Platform.Infra.Tests.Policies.PolicyBuilders;
using CloudFront = Platform.Infra.Aws.CloudFront;

namespace Platform.Infra.Tests.Policies;

/// <summary>One rule's minimal pair: a template that must make it fire on <see cref="Resource"/>, and one that must not.</summary>
public sealed record RuleCase(string Control, string Resource, Action<Template> Fires, Action<Template> Passes, StageProfile? Profile = null)
{
    public override string ToString() => Control;
}

/// <summary>The minimal pair of every rule (templates built in RuleCaseTemplates.cs).</summary>
public static partial class RuleCases
{
    private static RuleCase Case(string control, string resource, Action<Template> fires, Action<Template> passes, StageProfile? profile = null) =>
        new(control, resource, fires, passes, profile);

    public static IReadOnlyList<RuleCase> All { get; } =
    [
        // S3
        Case("S3.1", "account-bpa",
            t => t.Add(new AccountPublicAccessBlock("account-bpa", new AccountPublicAccessBlockArgs { BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true })),
            t => t.Add(new AccountPublicAccessBlock("account-bpa", new AccountPublicAccessBlockArgs { BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true, RestrictPublicBuckets = true }))),
        Case("S3.2", "data",
            Bucket(new BucketParts { Statements = [new PolicyStatement { Principal = PolicyStatement.Anyone, Actions = ["s3:GetObject"], Resources = [PolicyStatement.Literal("arn:aws:s3:::data/*")] }] }),
            Bucket(new BucketParts { Statements = [new PolicyStatement { Principal = PolicyStatement.ServicePrincipal("cloudfront.amazonaws.com"), Actions = ["s3:GetObject"], Resources = [PolicyStatement.Literal("arn:aws:s3:::data/*")], Conditions = Condition("StringEquals", "AWS:SourceArn", "arn:aws:cloudfront::111111111111:distribution/1") }] })),
        Case("S3.3", "data",
            Bucket(new BucketParts { Acl = new BucketAclArgs { Bucket = "x", Acl = "public-read-write" } }),
            Bucket(new BucketParts { Acl = new BucketAclArgs { Bucket = "x", Acl = "private" } })),
        Case("S3.4", "data", Bucket(new BucketParts { Sse = null }), Bucket(new BucketParts { Sse = "AES256" })),
        Case("S3.5", "data", Bucket(new BucketParts { RequireTls = false }), GoodBucket),
        Case("S3.6", "data",
            Bucket(new BucketParts { Statements = [new PolicyStatement { Principal = MapValue.From([new("AWS", new StringValue("arn:aws:iam::999999999999:root"))]), Actions = ["s3:PutBucketPolicy"], Resources = [PolicyStatement.Literal("arn:aws:s3:::data")] }] }),
            Bucket(new BucketParts { Statements = [new PolicyStatement { Principal = MapValue.From([new("AWS", new StringValue($"arn:aws:iam::{Account}:role/admin"))]), Actions = ["s3:PutBucketPolicy"], Resources = [PolicyStatement.Literal("arn:aws:s3:::data")] }] })),
        Case("S3.8", "data", Bucket(new BucketParts { RestrictPublicBuckets = false }), GoodBucket),
        Case("S3.9", "data", Bucket(new BucketParts { LogTo = null }), GoodBucket),
        Case("S3.10", "data", Bucket(new BucketParts { NoncurrentExpiration = false }), GoodBucket),
        Case("S3.11", "data", Bucket(new BucketParts { Notification = false }), GoodBucket),
        Case("S3.12", "data", Bucket(new BucketParts { Ownership = "BucketOwnerPreferred" }), GoodBucket),
        Case("S3.13", "data", Bucket(new BucketParts { Lifecycle = false }), GoodBucket),
        Case("S3.14", "data", Bucket(new BucketParts { Versioning = false, NoncurrentExpiration = false }), GoodBucket),
        Case("S3.17", "data", Bucket(new BucketParts { Sse = "AES256" }), GoodBucket),
        Case("PLATFORM.S3.1", "data", Bucket(new BucketParts { ForceDestroy = true }), GoodBucket),

        // CloudFront
        Case("CloudFront.1", "cdn", Site((d, _) => d with { DefaultRootObject = null }), Site((d, _) => d)),
        Case("CloudFront.3", "cdn",
            Site((d, _) => d with { OrderedCacheBehaviors = new[] { new CloudFront.DistributionOrderedCacheBehavior { PathPattern = "/img/*", TargetOriginId = "site", ViewerProtocolPolicy = "allow-all", AllowedMethods = new[] { "GET" }, CachedMethods = new[] { "GET" } } } }),
            Site((d, _) => d with { OrderedCacheBehaviors = new[] { new CloudFront.DistributionOrderedCacheBehavior { PathPattern = "/img/*", TargetOriginId = "site", ViewerProtocolPolicy = "https-only", AllowedMethods = new[] { "GET" }, CachedMethods = new[] { "GET" } } } })),
        Case("CloudFront.4", "cdn", Site((d, _) => d with { OriginGroups = null }), Site((d, _) => d)),
        Case("CloudFront.5", "cdn", Site((d, _) => d with { LoggingConfig = null }), Site((d, _) => d)),
        Case("CloudFront.6", "cdn", Site((d, _) => d with { WebAclId = null }), Site((d, _) => d)),
        Case("CloudFront.7", "cdn", Site((d, _) => d with { ViewerCertificate = DefaultCertificate }), Site((d, _) => d)),
        Case("CloudFront.8", "cdn",
            Site((d, _) => d with { ViewerCertificate = new CloudFront.DistributionViewerCertificate { AcmCertificateArn = "arn:aws:acm:us-east-1:111111111111:certificate/abc", SslSupportMethod = "vip", MinimumProtocolVersion = "TLSv1.2_2021" } }),
            Site((d, _) => d with { ViewerCertificate = DefaultCertificate })),
        Case("CloudFront.9", "cdn",
            Site((d, t) => d with { Origins = new[] { SiteOrigin(t), AlbOrigin("match-viewer", "TLSv1.2") } }),
            Site((d, t) => d with { Origins = new[] { SiteOrigin(t), AlbOrigin("https-only", "TLSv1.2") } })),
        Case("CloudFront.10", "cdn",
            Site((d, t) => d with { Origins = new[] { SiteOrigin(t), AlbOrigin("https-only", "SSLv3", "TLSv1.2") } }),
            Site((d, t) => d with { Origins = new[] { SiteOrigin(t), AlbOrigin("https-only", "TLSv1.2") } })),
        Case("CloudFront.12", "cdn",
            Site((d, t) => d with { Origins = new[] { SiteOrigin(t), new CloudFront.DistributionOrigin { OriginId = "old", DomainName = "old-site.s3.eu-west-1.amazonaws.com", OriginAccessControlId = ((CloudFront.OriginAccessControl)t.Find("oac")!).Id } } }),
            Site((d, _) => d)),
        Case("CloudFront.13", "cdn",
            Site((d, t) => d with { Origins = new[] { new CloudFront.DistributionOrigin { OriginId = "primary", DomainName = ((Aws.S3.Bucket)t.Find("site")!).BucketRegionalDomainName } } }),
            Site((d, _) => d)),
        Case("CloudFront.15", "cdn",
            Site((d, _) => d with { ViewerCertificate = new CloudFront.DistributionViewerCertificate { AcmCertificateArn = "arn:aws:acm:us-east-1:111111111111:certificate/abc", SslSupportMethod = "sni-only", MinimumProtocolVersion = "TLSv1" } }),
            Site((d, _) => d)),

        // RDS
        Case("RDS.2", "db", Rds(d => d with { PubliclyAccessible = true }), Rds(d => d)),
        Case("RDS.3", "db", Rds(d => d with { StorageEncrypted = null }), Rds(d => d)),
        Case("RDS.5", "db", Rds(d => d with { MultiAz = false }), Rds(d => d)),
        Case("RDS.6", "db", Rds(d => d with { MonitoringInterval = 0 }), Rds(d => d)),
        Case("RDS.8", "db", Rds(d => d with { DeletionProtection = null }), Rds(d => d)),
        Case("RDS.9", "db", Rds(d => d with { EnabledCloudwatchLogsExports = new[] { "postgresql" } }), Rds(d => d)),
        Case("RDS.10", "db", Rds(d => d with { IamDatabaseAuthenticationEnabled = false }), Rds(d => d)),
        Case("RDS.11", "db", Rds(d => d with { BackupRetentionPeriod = 3 }), Rds(d => d)),
        Case("RDS.13", "db", Rds(d => d with { AutoMinorVersionUpgrade = false }), Rds(d => d with { AutoMinorVersionUpgrade = null })),
        Case("RDS.17", "db", Rds(d => d with { CopyTagsToSnapshot = null }), Rds(d => d)),
        Case("RDS.18", "db", Rds(d => d with { DbSubnetGroupName = null }), Rds(d => d)),
        Case("RDS.20", "db", RdsWithFailureEventsOnly("db-instance"), Rds(d => d)),
        Case("RDS.21", "db", RdsWithFailureEventsOnly("db-parameter-group"), Rds(d => d)),
        Case("RDS.22", "db", RdsWithFailureEventsOnly("db-security-group"), Rds(d => d)),
        Case("RDS.23", "db", Rds(d => d with { Port = 5432 }), Rds(d => d)),
        Case("RDS.25", "db", Rds(d => d with { Username = "postgres" }), Rds(d => d)),
        Case("PLATFORM.RDS.1", "db", Rds(d => d with { SkipFinalSnapshot = true }), Rds(d => d)),

        // ECS
        Case("ECS.1", "task", Task("""[{"name": "app", "image": "app:1", "user": "root", "readonlyRootFilesystem": true, "logConfiguration": {"logDriver": "awslogs"}}]""", networkMode: "host"),
            Task("""[{"name": "app", "image": "app:1", "user": "1000", "readonlyRootFilesystem": true, "logConfiguration": {"logDriver": "awslogs"}}]""", networkMode: "host")),
        Case("ECS.2", "svc", Service(s => s with { NetworkConfiguration = new ServiceNetworkConfiguration { Subnets = new[] { "subnet-a", "subnet-b" }, AssignPublicIp = true } }), Service(s => s)),
        Case("ECS.3", "task", Task($"[{GoodContainer}]", pidMode: "host"), Task($"[{GoodContainer}]", pidMode: "task")),
        Case("ECS.4", "task", Task($"[{GoodContainer}, {GoodContainer.Replace("\"app\"", "\"sidecar\"").Replace("\"essential\": true", "\"privileged\": true")}]"), Task($"[{GoodContainer}]")),
        Case("ECS.5", "task", Task($"[{GoodContainer.Replace("\"readonlyRootFilesystem\": true", "\"readonlyRootFilesystem\": false")}]"), Task($"[{GoodContainer}]")),
        Case("ECS.8", "task", Task($"[{GoodContainer.Replace("\"PORT\"", "\"AWS_SECRET_ACCESS_KEY\"")}]"), Task($"[{GoodContainer}]")),
        Case("ECS.9", "task", Task("""[{"name": "app", "image": "app:1", "readonlyRootFilesystem": true}]"""), Task($"[{GoodContainer}]")),
        Case("ECS.10", "svc", Service(s => s with { PlatformVersion = "1.3.0" }), Service(s => s with { PlatformVersion = "LATEST" })),
        Case("ECS.12", "cluster",
            t => t.Add(new Cluster("cluster", new ClusterArgs { Settings = new[] { new ClusterSetting { Name = "containerInsights", Value = "disabled" } } })),
            t => t.Add(new Cluster("cluster", new ClusterArgs { Settings = new[] { new ClusterSetting { Name = "containerInsights", Value = "enhanced" } } }))),
        Case("PLATFORM.ECS.1", "svc", Service(s => s with { DeploymentCircuitBreaker = new ServiceDeploymentCircuitBreaker { Enable = true, Rollback = false } }), Service(s => s)),
        Case("PLATFORM.ECS.2", "svc", Service(s => s with { DesiredCount = 1 }), Service(s => s)),

        // Monitoring
        Case("SNS.1", "topic", SnsTopic(key: null), SnsTopic("arn:aws:kms:eu-west-1:111111111111:key/1")),
        Case("SNS.4", "topic-policy",
            SnsTopic("k", new PolicyStatement { Principal = PolicyStatement.Anyone, Actions = ["sns:Publish"] }),
            SnsTopic("k", new PolicyStatement { Principal = PolicyStatement.ServicePrincipal("cloudwatch.amazonaws.com"), Actions = ["sns:Publish"], Conditions = Condition("StringEquals", "aws:SourceAccount", Account) })),
        Case("CloudWatch.15", "alarm", Alarm(a => a with { AlarmActions = null }), Alarm(a => a)),
        Case("CloudWatch.17", "alarm", Alarm(a => a with { ActionsEnabled = false }), Alarm(a => a with { ActionsEnabled = true })),

        // ELB
        Case("ELB.1", "listener", Listener("HTTP", Forward), Listener("HTTP", Redirect("HTTPS"))),
        Case("ELB.4", "alb", Lb(l => l with { DropInvalidHeaderFields = null }), Lb(l => l)),
        Case("ELB.5", "alb", Lb(l => l with { AccessLogs = new LoadBalancerAccessLogs { Bucket = "alb-logs", Enabled = false } }), Lb(l => l)),
        Case("ELB.6", "alb", Lb(l => l with { EnableDeletionProtection = false }), Lb(l => l)),
        Case("ELB.12", "alb", Lb(l => l with { DesyncMitigationMode = "monitor" }), Lb(l => l with { DesyncMitigationMode = "strictest" })),
        Case("ELB.13", "alb", Lb(l => l with { Subnets = new[] { "subnet-a" } }), Lb(l => l)),
        Case("ELB.17", "listener", Listener("HTTPS", Forward, "ELBSecurityPolicy-2016-08"), Listener("HTTPS", Forward, "ELBSecurityPolicy-TLS13-1-2-2021-06")),
        Case("ELB.18", "listener", Listener("HTTP", Redirect("HTTP")), Listener("HTTPS", Forward, "ELBSecurityPolicy-TLS13-1-2-2021-06")),
        Case("PLATFORM.ELB.1", "tg",
            t => t.Add(new TargetGroup("tg", new TargetGroupArgs { Port = 8080, Protocol = "HTTP", TargetType = "ip", VpcId = "vpc-1" })),
            t => t.Add(new TargetGroup("tg", new TargetGroupArgs { Port = 8080, Protocol = "HTTP", TargetType = "ip", VpcId = "vpc-1", HealthCheck = new TargetGroupHealthCheck { Enabled = true, Path = "/healthz", Matcher = "200" } }))),

        // EC2 / VPC
        Case("EC2.2", "default-sg",
            Network(sgRule: new DefaultSecurityGroupIngress { FromPort = 0, ToPort = 0, Protocol = "-1", Self = true }),
            Network()),
        Case("EC2.6", "vpc", Network(traffic: "ACCEPT"), Network(traffic: "REJECT")),
        Case("EC2.10", "vpc", Network(ec2Endpoint: false), Network()),
        Case("EC2.15", "subnet",
            t => t.Add(new Subnet("subnet", new SubnetArgs { VpcId = "vpc-1", CidrBlock = "10.0.0.0/24", MapPublicIpOnLaunch = true })),
            t => t.Add(new Subnet("subnet", new SubnetArgs { VpcId = "vpc-1", CidrBlock = "10.0.0.0/24", MapPublicIpOnLaunch = false }))),
        Case("EC2.16", "acl",
            t => t.Add(new NetworkAcl("acl", new NetworkAclArgs { VpcId = "vpc-1" })),
            t => t.Add(new NetworkAcl("acl", new NetworkAclArgs { VpcId = "vpc-1", SubnetIds = new[] { "subnet-a" } }))),
        Case("EC2.18", "ingress", IngressRule("0.0.0.0/0", 8443), IngressRule("0.0.0.0/0", 443)),
        Case("EC2.19", "sg", InlineSg("0.0.0.0/0", 5432, 5432), InlineSg("10.0.0.0/16", 5432, 5432)),
        Case("EC2.21", "acl-rule", AclRule("0.0.0.0/0", 22), AclRule("0.0.0.0/0", 22, action: "deny")),

        // IAM / KMS
        Case("IAM.1", "role-policy", RolePolicy("*", "*"), RolePolicy("s3:GetObject", "*")),
        Case("IAM.7", "password-policy",
            t => t.Add(new AccountPasswordPolicy("password-policy", new AccountPasswordPolicyArgs { MinimumPasswordLength = 8, RequireLowercaseCharacters = true, RequireUppercaseCharacters = true, RequireNumbers = true, RequireSymbols = true })),
            t => t.Add(new AccountPasswordPolicy("password-policy", new AccountPasswordPolicyArgs { MinimumPasswordLength = 14, RequireLowercaseCharacters = true, RequireUppercaseCharacters = true, RequireNumbers = true, RequireSymbols = true }))),
        Case("IAM.21", "role", RoleInline("s3:*", "arn:aws:s3:::data/*"), RoleInline("s3:GetObject", "arn:aws:s3:::data/*")),
        Case("KMS.2", "role-policy", RolePolicy("kms:Decrypt", "*"), RolePolicy("kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/1")),
        Case("KMS.3", "key", Key(k => k, ResourceOptions.None), Key(k => k)),
        Case("KMS.4", "key", Key(k => k with { EnableKeyRotation = null }), Key(k => k)),
        Case("KMS.5", "key",
            Key(k => k with { Policy = Json("""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}""") }),
            Key(k => k with { Policy = Json("""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111"}}}]}""") })),
        Case("PLATFORM.IAM.1", "role", Trust("""{"AWS": "arn:aws:iam::999999999999:root"}"""), Trust("""{"AWS": "arn:aws:iam::111111111111:root"}""")),

        // ECR, logs, SQS, Lambda, Secrets Manager, protection
        Case("ECR.1", "repo", Repo(r => r with { ImageScanningConfiguration = null }), Repo(r => r)),
        Case("ECR.2", "repo", Repo(r => r with { ImageTagMutability = "MUTABLE" }), Repo(r => r)),
        Case("ECR.3", "repo", Repo(r => r, lifecycle: false), Repo(r => r)),
        Case("CloudWatch.16", "logs", Logs(90), Logs(365)),
        Case("PLATFORM.LOGS.1", "logs", Logs(null), Logs(30), Dev),
        Case("PLATFORM.LOGS.2", "logs", Logs(30, encrypted: false), Logs(30), Dev),

        // WAF
        Case("WAF.10", "acl", Acl(a => a with { Rules = null }), Acl(a => a)),
        Case("WAF.11", "acl", Acl(a => a, logging: false), Acl(a => a)),
        Case("WAF.12", "acl", Acl(a => a with { Rules = new[] { CommonRule with { VisibilityConfig = RuleMetrics(on: false) } } }), Acl(a => a)),
        Case("PLATFORM.WAF.1", "alb", LbBehindWaf(associated: false), LbBehindWaf(associated: true)),

        // AWS Backup and data resilience
        Case("Backup.1", "vault", Vault(key: false), Vault(key: true)),
        Case("PLATFORM.DR.1", "data", BackedUp(selectsData: false), BackedUp(selectsData: true), Prod),
        Case("PLATFORM.DR.2", "plan", CopiedTo(region: null), CopiedTo(region: "eu-central-1"), Prod),
        Case("PLATFORM.DR.3", "vault", Vault(key: true, locked: false), Vault(key: true, locked: true), Prod),
        Case("PLATFORM.DR.4", "data-replication", Replicated(region: "eu-central-1", replicaVersioned: false), Replicated(region: "eu-central-1")),
        Case("S3.7", "data", Replicated(region: null), Replicated(region: "eu-central-1")),
        Case("SQS.1", "queue",
            t => t.Add(new Queue("queue", new QueueArgs())),
            t => t.Add(new Queue("queue", new QueueArgs { KmsMasterKeyId = "alias/queue" }))),
        Case("SQS.3", "queue-policy", QueueWithPolicy(null), QueueWithPolicy("arn:aws:s3:::data")),
        Case("Lambda.1", "permission", Permission("s3.amazonaws.com", null), Permission("s3.amazonaws.com", "arn:aws:s3:::data")),
        Case("Lambda.2", "fn", Function("python3.8"), Function("python3.13")),
        Case("Lambda.5", "fn", Function("nodejs22.x", "subnet-a"), Function("nodejs22.x", "subnet-a", "subnet-b")),
        Case("PLATFORM.SQS.1", "queue", QueueMapping(redrive: false, visibility: 360), QueueMapping(redrive: true, visibility: 360)),
        Case("PLATFORM.LAMBDA.1", "mapping", QueueMapping(redrive: true, visibility: 359), QueueMapping(redrive: true, visibility: 360)),
        Case("SecretsManager.1", "secret",
            t => t.Add(new Secret("secret", new SecretArgs { Name = "app" }, ResourceOptions.Stateful(true))),
            t =>
            {
                var secret = t.Add(new Secret("secret", new SecretArgs { Name = "app" }, ResourceOptions.Stateful(true)));
                t.Add(new SecretRotation("rotation", secret.Id, 30));
            }),
        Case("PLATFORM.REL.1", "secret",
            t => t.Add(new Secret("secret", new SecretArgs { Name = "app" })),
            t => t.Add(new Secret("secret", new SecretArgs { Name = "app" }, new ResourceOptions { RetainOnDelete = true }))),

        // DMS
        Case("DMS.1", "replication", Replication(r => r with { PubliclyAccessible = null }), Replication(r => r)),
        Case("DMS.6", "replication", Replication(r => r with { AutoMinorVersionUpgrade = false }), Replication(r => r)),
        Case("DMS.9", "endpoint", DmsEndpoint("none"), DmsEndpoint("require")),
        Case("DMS.13", "replication", Replication(r => r with { MultiAz = false }), Replication(r => r)),
        // Account baseline
        Case("CloudTrail.1", "trail", Trail(a => a with { IsMultiRegionTrail = false }), Trail(a => a)),
        Case("CloudTrail.2", "trail", Trail(a => a with { KmsKeyId = null }), Trail(a => a)),
        Case("CloudTrail.4", "trail", Trail(a => a with { EnableLogFileValidation = null }), Trail(a => a)),
        Case("CloudTrail.5", "trail", Trail(a => a with { CloudWatchLogsGroupArn = null }), Trail(a => a)),
        Case("GuardDuty.1", "detector", Detector(enabled: false), Detector()),
        Case("GuardDuty.10", "detector", Detector(feature: "LAMBDA_NETWORK_LOGS"), Detector()),
        Case("Config.1", "recorder", Recorder(started: false), Recorder()),
        Case("EC2.7", "ebs",
            t => t.Add(new Aws.Ebs.EncryptionByDefault("ebs", new Aws.Ebs.EncryptionByDefaultArgs { Enabled = false })),
            t => t.Add(new Aws.Ebs.EncryptionByDefault("ebs", new Aws.Ebs.EncryptionByDefaultArgs { Enabled = true }))),
    ];
}
