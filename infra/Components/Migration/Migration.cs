using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Dms;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>What monitoring watches of a migration: the replication instance and the task (the AWS/DMS dimensions).</summary>
/// <param name="InstanceId">The replication instance identifier (dimension ReplicationInstanceIdentifier).</param>
/// <param name="TaskResourceId">The task's resource identifier, the last part of its ARN (dimension ReplicationTaskIdentifier).</param>
public sealed record MigrationWatch(Output<string> InstanceId, Output<string> TaskResourceId);

/// <summary>
/// The MySQL migration into the stack's database (<c>platform:migration</c>): connectivity to the source network
/// (<see cref="SiteToSiteVpn"/> or an existing one), the DMS account roles (<see cref="DmsAccountRoles"/>), a
/// replication instance in the private subnets, a source endpoint and a target endpoint that read their credentials
/// from Secrets Manager through a role that may read only those two secrets, and one full-load-and-CDC task that is
/// created stopped: starting it is an operator step of the runbook (docs/migration.md).
/// <para>
/// A provisioned replication instance rather than DMS Serverless: a full load of many terabytes runs for days, and a
/// sized instance gives it predictable capacity, storage for the changes cached meanwhile that the settings control,
/// and CPU and free-storage metrics to alarm on; Serverless scales capacity units on its own and would be a different
/// resource (<c>aws:dms/replicationConfig</c>) with other metrics.
/// </para>
/// <para>
/// The target endpoint cannot use the master secret RDS manages: DMS needs host and port in the secret, which RDS's
/// secret lacks (DMS user guide, "Using secrets to access AWS Database Migration Service endpoints"); the runbook
/// creates a DMS user on the target and its secret.
/// </para>
/// </summary>
public sealed class Migration
{
    public Migration(ComponentScope scope, StackSettings stack, MigrationSettings settings, Network network, Database database, LogGroups logs)
    {
        var aws = stack.Aws;
        var protect = stack.Profile.Protect;
        Vpn = settings.Connectivity == MigrationConnectivity.Vpn ? new SiteToSiteVpn(scope, settings, settings.Vpn!, network) : null;
        var roles = new DmsAccountRoles(scope, settings, aws);

        Key = CustomerKey.Create(scope, "key", aws, protect,
            $"Encrypts the DMS replication instance's storage and endpoint settings of {scope.Stack.Project}/{scope.Stack.Stack}.").Key;

        // The replication instance opens connections only: to the source through the VPN, to the target database,
        // and HTTPS to the AWS APIs it calls (Secrets Manager, KMS, CloudWatch Logs) through NAT or endpoints.
        SecurityGroup = scope.Add("sg", new SecurityGroupArgs
        {
            VpcId = network.Vpc.Id,
            Description = $"DMS replication instance: MySQL to the source {settings.Source.Cidr} and to the stack's database",
        });
        SecurityGroupRules.AllowOut(scope, "egress-source", SecurityGroup.Id, new SecurityGroupPeer(settings.Source.Cidr.ToString(), null), settings.Source.Port, "MySQL source through the VPN");
        SecurityGroupRules.AllowOut(scope, "egress-target", SecurityGroup.Id, SecurityGroupPeer.Of(database.SecurityGroup.Id), database.Settings.Port, "the stack's database");
        SecurityGroupRules.AllowOut(scope, "egress-aws-apis", SecurityGroup.Id, SecurityGroupPeer.Anywhere, 443, "AWS APIs: Secrets Manager, KMS, CloudWatch Logs");
        database.AdmitIn(scope, "database-ingress", ComponentNames.Migration, SecurityGroup.Id);

        // DMS creates the subnet group's network interfaces through dms-vpc-role: it must exist with its policy first.
        var subnets = scope.Add("subnets", new ReplicationSubnetGroupArgs
        {
            ReplicationSubnetGroupId = scope.PhysicalName("subnets"),
            ReplicationSubnetGroupDescription = $"Private subnets of {scope.Stack.Project}/{scope.Stack.Stack} for the DMS replication instance",
            SubnetIds = [.. network.PrivateSubnets.Select(s => (Input<string>)s.Id)],
        }, roles.VpcRole is { } vpcRole ? new ResourceOptions { DependsOn = [vpcRole] } : null);

        InstanceId = scope.PhysicalName("replication", 63);
        Instance = scope.Add("replication", new ReplicationInstanceArgs
        {
            ReplicationInstanceId = InstanceId,
            ReplicationInstanceClass = settings.Replication.InstanceClass,
            AllocatedStorage = settings.Replication.AllocatedStorageGb,
            MultiAz = settings.Replication.MultiAz,
            EngineVersion = Input<string>.Optional(settings.Replication.EngineVersion),
            AutoMinorVersionUpgrade = true,
            PubliclyAccessible = false,
            KmsKeyArn = Key.Arn,
            ReplicationSubnetGroupId = subnets.ReplicationSubnetGroupId,
            VpcSecurityGroupIds = [SecurityGroup.Id],
        }, new ResourceOptions { DependsOn = Vpn is null ? null : Vpn.Routes });

        // DMS writes the task's logs to dms-tasks-<instance id> and creates it without expiry when missing
        // (DMS user guide, "Logging task settings"): created here first, encrypted and kept for the stage's retention.
        var logGroup = logs.Add(scope, "task-logs", $"dms-tasks-{InstanceId}");

        AccessRole = SecretsAccess(scope, aws, settings);
        var source = scope.Add("source", new EndpointArgs
        {
            EndpointId = scope.PhysicalName("source", 255),
            EndpointType = "source",
            EngineName = "mysql",
            SecretsManagerArn = settings.Source.SecretArn,
            SecretsManagerAccessRoleArn = AccessRole.Role.Arn,
            // TLS inside the VPN too (DMS.9): MySQL 5.7 and later create server certificates at initialisation.
            SslMode = "require",
            KmsKeyArn = Key.Arn,
            // DMS refuses to modify an endpoint of a running task: the provider stops the task and resumes it after.
            PauseReplicationTasks = true,
        }, new ResourceOptions { DependsOn = [AccessRole.Policy] });
        var target = scope.Add("target", new EndpointArgs
        {
            EndpointId = scope.PhysicalName("target", 255),
            EndpointType = "target",
            EngineName = "mysql",
            SecretsManagerArn = settings.TargetSecretArn,
            SecretsManagerAccessRoleArn = AccessRole.Role.Arn,
            // The database refuses unencrypted connections (require_secure_transport); verify-full would need the RDS
            // CA imported as a DMS certificate.
            SslMode = "require",
            KmsKeyArn = Key.Arn,
            MysqlSettings = new EndpointMysqlSettings { ParallelLoadThreads = settings.Task.ParallelLoadThreads },
            PauseReplicationTasks = true,
        }, new ResourceOptions { DependsOn = [AccessRole.Policy, database.Instance] });

        // The task's resource identifier becomes the last part of its ARN and its CloudWatch dimension
        // (DMS API reference, CreateReplicationTask: ResourceIdentifier, at most 31 characters).
        TaskResourceId = scope.PhysicalName("task", 31);
        Task = scope.Add("task", new ReplicationTaskArgs
        {
            ReplicationTaskId = scope.PhysicalName("task", 255),
            ResourceIdentifier = TaskResourceId,
            MigrationType = "full-load-and-cdc",
            ReplicationInstanceArn = Instance.ReplicationInstanceArn,
            SourceEndpointArn = source.EndpointArn,
            TargetEndpointArn = target.EndpointArn,
            TableMappings = Input<string>.FromValue(ReplicationDocuments.TableMappings(settings)),
            ReplicationTaskSettings = Input<string>.FromValue(ReplicationDocuments.TaskSettings(settings.Task)),
            StartReplicationTask = false,
        }, new ResourceOptions { DependsOn = [logGroup, .. roles.LogsRole is { } logsRole ? [logsRole] : Array.Empty<Resource>()] });
        Source = source;
        Target = target;
    }

    public SiteToSiteVpn? Vpn { get; }

    public Aws.Kms.Key Key { get; }

    public SecurityGroup SecurityGroup { get; }

    public string InstanceId { get; }

    public ReplicationInstance Instance { get; }

    public (Role Role, RolePolicy Policy) AccessRole { get; }

    public Endpoint Source { get; }

    public Endpoint Target { get; }

    public string TaskResourceId { get; }

    public ReplicationTask Task { get; }

    public MigrationWatch Watch => new(Instance.ReplicationInstanceId, PolicyStatement.Literal(TaskResourceId));

    /// <summary>The migration, when <c>platform:migration</c> is set, with its outputs.</summary>
    public static Migration? Create(StackContext stack, StackSettings settings, Network network, Database? database, LogGroups logs)
    {
        if (settings.Migration is not { } migration) return null;
        var target = database ?? throw new InvalidOperationException("platform:migration needs platform:database (the settings refuse it without).");
        var created = new Migration(new ComponentScope(stack, ComponentNames.Migration), settings, migration, network, target, logs);
        var template = stack.Template;
        template.Export(StackOutputs.MigrationTaskArn, created.Task.ReplicationTaskArn);
        if (created.Vpn is { } vpn)
        {
            template.Export(StackOutputs.MigrationVpnTunnelAddresses, new ListValue([vpn.Connection.Tunnel1Address.Expression, vpn.Connection.Tunnel2Address.Expression]));
            template.Export(StackOutputs.MigrationVpnPresharedKeyArn, vpn.Connection.PresharedKeyArn);
        }
        return created;
    }

    /// <summary>
    /// The role DMS assumes to read the endpoints' secrets (DMS user guide, "Using secrets to access AWS Database
    /// Migration Service endpoints"): trusted by the regional DMS principal of this account only, allowed to read
    /// exactly the two configured secrets, and to decrypt with a key of this account only through Secrets Manager for
    /// those secrets (the encryption context Secrets Manager sets names the secret). A secret under the AWS-managed
    /// key aws/secretsmanager needs no KMS permission at all.
    /// </summary>
    private static (Role Role, RolePolicy Policy) SecretsAccess(ComponentScope scope, AwsSettings aws, MigrationSettings settings)
    {
        var role = scope.Add("secrets-role", new RoleArgs
        {
            Name = scope.PhysicalName("secrets", ComponentScope.RoleNameLength),
            Description = "Lets AWS DMS read the migration endpoints' credentials from Secrets Manager.",
            AssumeRolePolicy = PolicyDocument.AssumableBy($"dms.{aws.Region}.amazonaws.com", aws.AccountId).ToJson(),
        });
        Output<string>[] secrets = [PolicyStatement.Literal(settings.Source.SecretArn), PolicyStatement.Literal(settings.TargetSecretArn)];
        var policy = scope.Add("secrets-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = new PolicyDocument(
                new PolicyStatement
                {
                    Sid = "ReadTheEndpointSecrets",
                    Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    Resources = secrets,
                },
                new PolicyStatement
                {
                    Sid = "DecryptThemThroughSecretsManager",
                    Actions = ["kms:Decrypt"],
                    Resources = [PolicyStatement.Literal($"arn:{aws.Partition}:kms:{aws.Region}:{aws.AccountId}:key/*")],
                    Conditions = PolicyStatement.Condition(
                        [PolicyStatement.ViaService("secretsmanager", aws.Region),
                         .. secrets.Select(s => ("StringEquals", "kms:EncryptionContext:SecretARN", s))]),
                }).ToJson(),
        });
        return (role, policy);
    }
}
