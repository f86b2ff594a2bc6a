namespace Platform.Infra.Model;

/// <summary>
/// The names of the stack outputs (the template's <c>outputs:</c>): the components export under these names, and
/// tests, messages and the rollout file's checks (<c>checks.outputs</c>, <c>checks.health.output</c> in rollout.yaml)
/// refer to them. Stack-wide outputs are camelCase; a service's are <c>&lt;service&gt;-&lt;name&gt;</c> and a store's
/// <c>&lt;service&gt;-&lt;store&gt;-&lt;name&gt;</c>, so that two services never export the same name. Deployed stacks,
/// scripts and rollout files use these names: renaming one is a breaking change.
/// </summary>
public static class StackOutputs
{
    /// <summary>The VPC id (network).</summary>
    public const string VpcId = "vpcId";

    /// <summary>The public subnet ids, one per AZ (network).</summary>
    public const string PublicSubnetIds = "publicSubnetIds";

    /// <summary>The private subnet ids, one per AZ (network).</summary>
    public const string PrivateSubnetIds = "privateSubnetIds";

    /// <summary>The database subnet ids, one per AZ (network).</summary>
    public const string DatabaseSubnetIds = "databaseSubnetIds";

    /// <summary>The RDS DB subnet group over the database subnets (network).</summary>
    public const string DbSubnetGroupName = "dbSubnetGroupName";

    /// <summary>The stack's log bucket (logs), when the stack has services.</summary>
    public const string LogBucketName = "logBucketName";

    /// <summary>The database's <c>host:port</c> endpoint (database).</summary>
    public const string DatabaseEndpoint = "databaseEndpoint";

    /// <summary>The ARN of the master user's secret that RDS manages in Secrets Manager (database).</summary>
    public const string DatabaseSecretArn = "databaseSecretArn";

    /// <summary>The <c>aws ecs run-task</c> command that creates the services' database users (database users task).</summary>
    public const string DatabaseUsersCommand = "databaseUsersCommand";

    /// <summary>The ARN of the stack's alarm topic (monitoring): what alarms and RDS events notify.</summary>
    public const string AlarmTopicArn = "alarmTopicArn";

    /// <summary>The name of the stack's CloudWatch dashboard (monitoring).</summary>
    public const string DashboardName = "dashboardName";

    /// <summary>The ARN of the migration's DMS replication task (migration): the runbook starts it with this.</summary>
    public const string MigrationTaskArn = "migrationTaskArn";

    /// <summary>The outside (AWS-side) addresses of the migration VPN's two tunnels: the source device connects to both.</summary>
    public const string MigrationVpnTunnelAddresses = "migrationVpnTunnelAddresses";

    /// <summary>The ARN of the Secrets Manager secret holding the VPN tunnels' pre-shared keys (the keys themselves are never an output).</summary>
    public const string MigrationVpnPresharedKeyArn = "migrationVpnPresharedKeyArn";
    /// <summary>The audit bucket of the account's CloudTrail trail and AWS Config (baseline), where the stack carries it.</summary>
    public const string AuditBucketName = "auditBucketName";

    /// <summary>The DNS name of a container service's ALB.</summary>
    public static string AlbDnsName(string service) => $"{service}-albDnsName";

    /// <summary>The URL a container service answers on (https with a certificate, else http).</summary>
    public static string Url(string service) => $"{service}-url";

    /// <summary>The ECR repository a container service's images are pushed to.</summary>
    public static string RepositoryUrl(string service) => $"{service}-repositoryUrl";

    /// <summary>The bucket name of a store.</summary>
    public static string BucketName(string service, string store) => $"{service}-{store}-bucketName";

    /// <summary>The bucket ARN of a store.</summary>
    public static string BucketArn(string service, string store) => $"{service}-{store}-bucketArn";

    /// <summary>The CloudFront distribution id of a static site (CI invalidates it after a deploy).</summary>
    public static string DistributionId(string service, string store) => $"{service}-{store}-distributionId";

    /// <summary>The CloudFront domain name of a static site.</summary>
    public static string DomainName(string service, string store) => $"{service}-{store}-domainName";

    /// <summary>The URL of an ingestion pipeline's queue (S3 notifications of its inbox).</summary>
    public static string QueueUrl(string service, string pipeline) => $"{service}-{pipeline}-queueUrl";

    /// <summary>The URL of an ingestion pipeline's dead-letter queue (documents that failed every attempt).</summary>
    public static string DeadLetterQueueUrl(string service, string pipeline) => $"{service}-{pipeline}-deadLetterQueueUrl";

    /// <summary>The name of an ingestion pipeline's Lambda function.</summary>
    public static string FunctionName(string service, string pipeline) => $"{service}-{pipeline}-functionName";

    /// <summary>The S3 backend URL of the account's state bucket (bootstrap): <c>pulumi login</c> takes it.</summary>
    public const string StateBackendUrl = "stateBackendUrl";

    /// <summary>The <c>awskms://</c> secrets provider of the account's stacks (bootstrap).</summary>
    public const string SecretsProvider = "secretsProvider";

    /// <summary>The GitHub OIDC identity provider's ARN (bootstrap).</summary>
    public const string OidcProviderArn = "oidcProviderArn";

    /// <summary>The read-only role pull requests and drift detection assume (bootstrap).</summary>
    public const string PreviewRoleArn = "previewRoleArn";

    /// <summary>The read-only role on the rollout's state (bootstrap, state account).</summary>
    public const string StatePreviewRoleArn = "statePreviewRoleArn";

    /// <summary>The role the stacks' provider assumes for every change (bootstrap).</summary>
    public const string DeployerRoleArn = "deployerRoleArn";

    /// <summary>The deploy role of a stage's GitHub environment (bootstrap).</summary>
    public static string DeployRoleArn(string stage) => $"deployRoleArn-{stage}";

    /// <summary>The role that copies a stage's image into the next stage's repository (bootstrap).</summary>
    public static string PromoteRoleArn(string stage) => $"promoteRoleArn-{stage}";

    /// <summary>The role a stage's jobs use on the rollout's state (bootstrap, state account).</summary>
    public static string StateRoleArn(string stage) => $"stateRoleArn-{stage}";

    /// <summary>The stack's AWS Backup vault in its own region (backup), when <c>platform:dr</c> is set.</summary>
    public const string BackupVaultName = "backupVaultName";

    /// <summary>The ARN of the DR vault in the DR region, where every recovery point is copied (backup).</summary>
    public const string DrVaultArn = "drVaultArn";
}
