using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>Inputs of the <see cref="Database"/> component.</summary>
/// <param name="Settings">Engine, size, availability, backups and monitoring (<c>platform:database</c>).</param>
/// <param name="Profile">Protection, disposable data and log retention of the stage.</param>
/// <param name="Aws">Account, region and partition (key policy, role trust, log group names).</param>
/// <param name="Network">The VPC and the DB subnet group of the isolated database subnets.</param>
public sealed record DatabaseArgs(DatabaseSettings Settings, StageProfile Profile, AwsSettings Aws, Network Network, LogGroups Logs);

/// <summary>
/// An RDS PostgreSQL or MySQL instance in the isolated database subnets: not public (RDS.2), encrypted with its own
/// customer-managed key (RDS.3), the master password generated and kept by RDS in Secrets Manager (RDS.25; it never
/// enters the template), TLS forced by its parameter group, Multi-AZ (RDS.5) and deletion protection (RDS.8) per
/// stage, backups (RDS.11) with windows and a final snapshot, Performance Insights and enhanced monitoring (RDS.6),
/// log exports into log groups with retention (RDS.9), automatic minor upgrades (RDS.13), tags copied to snapshots
/// (RDS.17). Its security group admits the engine port only from the security groups that <see cref="Admit"/> names,
/// and has no egress.
/// <para>
/// Services never log in as the master user: each gets its own database user that authenticates with IAM (a token
/// the application generates at connect time from its task role), so the master secret's rotation (every 7 days by
/// default) never breaks a running service. <see cref="DatabaseUsers"/> creates those users.
/// </para>
/// </summary>
public sealed class Database
{
    private readonly ComponentScope _scope;
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _users = new(StringComparer.Ordinal);

    public Database(ComponentScope scope, DatabaseArgs args)
    {
        _scope = scope;
        var settings = args.Settings;
        var aws = args.Aws;
        var protect = args.Profile.Protect;
        Settings = settings;
        Identifier = scope.PhysicalName("instance");

        Key = CustomerKey.Create(scope, "key", aws, protect, $"Encrypts the {settings.Engine.Name} database of {scope.Stack.Project}/{scope.Stack.Stack}: storage, snapshots, Performance Insights and the master user secret.").Key;

        // No ingress until a service is admitted, and no egress at all (the provider removes AWS's default
        // allow-all egress rule when none is given): the database never opens connections.
        SecurityGroup = scope.Add("sg", new SecurityGroupArgs
        {
            VpcId = args.Network.Vpc.Id,
            Description = $"{settings.Engine.Name} database: port {settings.Port} from admitted services only",
        });

        var parameters = scope.Add("params", new ParameterGroupArgs
        {
            Family = settings.Engine.Family(settings.Version),
            Description = $"{scope.PhysicalName("instance")}: TLS required, slow statements logged",
            Parameters = [.. Parameters(settings.Engine)],
        });

        // RDS would create these on first export with no expiry; created here, they keep the stage's retention.
        var logGroups = settings.Engine.LogExports.Select(log => (Resource)args.Logs.Add(scope, $"log-{log}", $"/aws/rds/instance/{Identifier}/{log}", stateful: true)).ToList();

        var monitoring = settings.MonitoringIntervalSeconds > 0 ? MonitoringRole(scope, aws) : ((Role Role, RolePolicy Policy)?)null;

        Instance = scope.Add("instance", new InstanceArgs
        {
            Identifier = Identifier,
            Engine = settings.Engine.Name,
            EngineVersion = settings.Version,
            AutoMinorVersionUpgrade = true,
            AllowMajorVersionUpgrade = false,
            InstanceClass = settings.InstanceClass,
            StorageType = settings.StorageType,
            Iops = settings.Iops is { } iops ? (Input<double>)iops : null,
            StorageThroughput = settings.StorageThroughput is { } throughput ? (Input<double>)throughput : null,
            AllocatedStorage = settings.AllocatedStorageGb,
            MaxAllocatedStorage = settings.MaxAllocatedStorageGb,
            StorageEncrypted = true,
            KmsKeyId = Key.Arn,
            DbName = settings.DatabaseName,
            Username = settings.MasterUsername,
            ManageMasterUserPassword = true,
            MasterUserSecretKmsKeyId = Key.Arn,
            IamDatabaseAuthenticationEnabled = true,
            Port = settings.Port,
            DbSubnetGroupName = args.Network.DbSubnetGroup.Name,
            VpcSecurityGroupIds = [SecurityGroup.Id],
            PubliclyAccessible = false,
            CaCertIdentifier = "rds-ca-rsa2048-g1",
            ParameterGroupName = parameters.Name,
            MultiAz = settings.MultiAz,
            DeletionProtection = settings.DeletionProtection,
            BackupRetentionPeriod = settings.BackupRetentionDays,
            BackupWindow = settings.BackupWindow,
            MaintenanceWindow = settings.MaintenanceWindow,
            DeleteAutomatedBackups = args.Profile.DisposableData,
            SkipFinalSnapshot = false,
            // Unique per database: the key is created with the database, so a destroyed and re-created stack never
            // collides with the final snapshot its previous database left (snapshot names are unique per account and region).
            FinalSnapshotIdentifier = Output.Format($"{Identifier}-final-{Key.KeyId}"),
            CopyTagsToSnapshot = true,
            EnabledCloudwatchLogsExports = [.. settings.Engine.LogExports],
            PerformanceInsightsEnabled = settings.PerformanceInsights,
            PerformanceInsightsKmsKeyId = settings.PerformanceInsights ? (Input<string>)Key.Arn : null,
            PerformanceInsightsRetentionPeriod = settings.PerformanceInsights ? (Input<double>)settings.PerformanceInsightsRetentionDays : null,
            MonitoringInterval = settings.MonitoringIntervalSeconds,
            MonitoringRoleArn = monitoring is { } m ? (Input<string>)m.Role.Arn : null,
        }, ResourceOptions.Stateful(protect) with
        {
            // RDS creates the export log groups itself (with no expiry) if they do not exist yet, and checks that it
            // may publish enhanced monitoring when the instance is created: both must exist first.
            DependsOn = [.. logGroups, .. monitoring is { } p ? [p.Policy] : Array.Empty<Resource>()],
        });

    }

    public DatabaseSettings Settings { get; }

    /// <summary>The component's scope, for its parts (<see cref="DatabaseUsers"/>).</summary>
    public ComponentScope Scope => _scope;

    /// <summary>The RDS identifier, also the prefix of the final snapshot and log group names.</summary>
    public string Identifier { get; }

    public Key Key { get; }

    public SecurityGroup SecurityGroup { get; }

    public Instance Instance { get; }

    /// <summary>The database users of the services admitted so far: service name → user name.</summary>
    public IReadOnlyDictionary<string, string> Users => _users;

    /// <summary><c>host:port</c> of the primary.</summary>
    public Output<string> Endpoint => Instance.Endpoint;

    public Output<string> Address => Instance.Address;

    /// <summary>
    /// The ARN of the secret RDS created for the master user (<c>masterUserSecrets[0].secretArn</c>): a JSON secret
    /// with <c>username</c> and <c>password</c>. Only the ARN ever appears in the template.
    /// </summary>
    public Output<string> SecretArn => Output.Reference<string>(Instance.LogicalName, "masterUserSecrets[0].secretArn");

    /// <summary>The RDS resource id (<c>db-…</c>) that IAM database authentication ARNs name.</summary>
    public Output<string> ResourceId => Instance.ResourceId;

    /// <summary>
    /// The database user of a service: its name with '-' as '_' (a valid identifier in both engines; service names are
    /// at most 20 characters, within MySQL's 32).
    /// </summary>
    public static string UserOf(string service) => service.Replace('-', '_');

    /// <summary>
    /// What a service's task role needs to log in as its own user with IAM authentication (RDS user guide, "Creating and
    /// using an IAM policy for IAM database access"): <c>rds-db:connect</c> on that user of this instance only.
    /// </summary>
    public PolicyStatement GrantConnect(string service, AwsSettings aws) => new()
    {
        Sid = "ConnectToDatabase",
        Actions = ["rds-db:connect"],
        Resources = [Output.Format($"arn:{aws.Partition}:rds-db:{aws.Region}:{aws.AccountId}:dbuser:{ResourceId}/{UserOf(service)}")],
    };

    /// <summary>Admits a service's tasks and gives the service its own IAM-authenticated database user.</summary>
    public void AdmitService(string service, Output<string> securityGroupId)
    {
        Admit(service, securityGroupId);
        _users[service] = UserOf(service);
    }

    /// <summary>
    /// Admits the engine port from one security group, by reference: with <see cref="AdmitIn"/>, the only ingress the
    /// database has.
    /// </summary>
    public void Admit(string who, Output<string> securityGroupId) => AdmitIn(_scope, $"ingress-{who}", who, securityGroupId);

    /// <summary>Admits the engine port from a security group, the rule belonging to <paramref name="scope"/> (a part of this component).</summary>
    public void AdmitIn(ComponentScope scope, string role, string who, Output<string> securityGroupId)
    {
        if (!_admitted.Add(who)) throw new InvalidOperationException($"'{who}' is already admitted to the database.");
        SecurityGroupRules.AllowIn(scope, role, SecurityGroup.Id, SecurityGroupPeer.Of(securityGroupId), Settings.Port, $"{Settings.Engine.Name} from {who}");
    }

    public static Database Create(StackContext stack, StackSettings settings, DatabaseSettings database, Network network, LogGroups logs)
    {
        var db = new Database(new ComponentScope(stack, ComponentNames.Database), new DatabaseArgs(database, settings.Profile, settings.Aws, network, logs));
        stack.Template.Export(StackOutputs.DatabaseEndpoint, db.Endpoint);
        stack.Template.Export(StackOutputs.DatabaseSecretArn, db.SecretArn);
        return db;
    }

    private static IEnumerable<ParameterGroupParameter> Parameters(DatabaseEngine engine)
    {
        yield return new ParameterGroupParameter { Name = engine.TlsParameter, Value = "1" };
        if (engine == DatabaseEngine.Postgres)
        {
            yield return new ParameterGroupParameter { Name = "log_min_duration_statement", Value = "1000" };
        }
        else
        {
            yield return new ParameterGroupParameter { Name = "slow_query_log", Value = "1" };
            yield return new ParameterGroupParameter { Name = "long_query_time", Value = "1" };
            // RDS MySQL writes logs to a table by default; CloudWatch export needs them in files.
            yield return new ParameterGroupParameter { Name = "log_output", Value = "FILE" };
        }
    }

    /// <summary>
    /// The enhanced-monitoring role (RDS.6): only RDS monitoring of this account may assume it, and it may only write
    /// the RDSOSMetrics log group (what AWS's managed AmazonRDSEnhancedMonitoringRole grants, narrowed to this account
    /// and region).
    /// </summary>
    private static (Role Role, RolePolicy Policy) MonitoringRole(ComponentScope scope, AwsSettings aws)
    {
        var role = scope.Add("monitoring-role", new RoleArgs
        {
            Name = scope.PhysicalName("monitoring", ComponentScope.RoleNameLength),
            Description = "Lets RDS enhanced monitoring publish OS metrics of this stack's database.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("monitoring.rds.amazonaws.com", aws.AccountId).ToJson(),
        });
        var group = $"arn:{aws.Partition}:logs:{aws.Region}:{aws.AccountId}:log-group:RDSOSMetrics";
        var policy = scope.Add("monitoring-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = new PolicyDocument(
                new PolicyStatement
                {
                    Sid = "MetricsLogGroup",
                    Actions = ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                    Resources = [PolicyStatement.Literal(group)],
                },
                new PolicyStatement
                {
                    Sid = "MetricsLogStreams",
                    Actions = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:PutLogEvents"],
                    Resources = [PolicyStatement.Literal($"{group}:log-stream:*")],
                }).ToJson(),
        });
        return (role, policy);
    }
}
