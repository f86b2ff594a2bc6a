using System.Globalization;
using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Ecs;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>Inputs of the <see cref="DatabaseUsers"/> component.</summary>
/// <param name="Database">The stack's database, after every service that uses it was admitted.</param>
/// <param name="Profile">Log retention of the stage.</param>
/// <param name="Aws">Account, region and partition.</param>
/// <param name="Network">The private subnets the task runs in.</param>
/// <param name="Cluster">The stack's ECS cluster.</param>
public sealed record DatabaseUsersArgs(Database Database, StageProfile Profile, AwsSettings Aws, Network Network, Cluster Cluster, LogGroups Logs);

/// <summary>
/// The one-off ECS task that creates each service's database user: the only thing that ever logs in as the master
/// user, with the RDS-managed secret read by ECS when the task starts (so a rotated password is always current). Each
/// user authenticates with IAM (PostgreSQL: <c>GRANT rds_iam</c>; MySQL: <c>AWSAuthenticationPlugin</c>; RDS user guide,
/// "Creating a database account using IAM authentication") and may use the application database. The script is
/// idempotent: run it after the first <c>pulumi up</c> and again whenever a service starts using the database (stack
/// output <c>databaseUsersCommand</c>; README, "Running it for real").
/// <para>
/// It runs the engine's official client image from Amazon ECR Public (through the NAT gateway), in the private
/// subnets, non-root, with a read-only root filesystem; its security group reaches the database port and HTTPS only.
/// </para>
/// </summary>
public sealed class DatabaseUsers
{
    public DatabaseUsers(ComponentScope scope, DatabaseUsersArgs args)
    {
        var db = args.Database;
        var aws = args.Aws;
        var engine = db.Settings.Engine;

        LogGroup = args.Logs.Add(scope, "logs", $"/{scope.Stack.Project}/{scope.Stack.Stack}/database/users");

        SecurityGroup = scope.Add("sg", new SecurityGroupArgs
        {
            VpcId = args.Network.Vpc.Id,
            Description = $"database users task: {engine.Name} to the database and HTTPS out only",
        });
        SecurityGroupRules.AllowOut(scope, "out-db", SecurityGroup.Id, SecurityGroupPeer.Of(db.SecurityGroup.Id), db.Settings.Port, $"{engine.Name} to the database");
        SecurityGroupRules.AllowOut(scope, "out-https", SecurityGroup.Id, SecurityGroupPeer.Anywhere, PublicEndpoint.HttpsPort,
            "HTTPS to Amazon ECR Public, Secrets Manager and CloudWatch Logs");
        db.AdmitIn(scope, "db-in", "the database users task", SecurityGroup.Id);

        ExecutionRole = EcsRoles.Create(scope, "execution-role", "Lets ECS start the database users task: write its logs, read the master user secret.", aws);
        scope.Add("execution-policy", new RolePolicyArgs
        {
            Role = ExecutionRole.Id,
            Policy = new PolicyDocument(
                EcsRoles.WriteLogs(LogGroup.Arn),
                new PolicyStatement
                {
                    Sid = "ReadMasterSecret",
                    Actions = ["secretsmanager:GetSecretValue"],
                    Resources = [db.SecretArn],
                },
                new PolicyStatement
                {
                    Sid = "DecryptMasterSecret",
                    Actions = ["kms:Decrypt"],
                    Resources = [db.Key.Arn],
                    Conditions = PolicyStatement.Condition(PolicyStatement.ViaService("secretsmanager", aws.Region)),
                }).ToJson(),
        });

        TaskDefinition = scope.Add("task", new TaskDefinitionArgs
        {
            Family = scope.PhysicalName("task"),
            Cpu = "256",
            Memory = "512",
            NetworkMode = "awsvpc",
            RequiresCompatibilities = ["FARGATE"],
            RuntimePlatform = new TaskDefinitionRuntimePlatform { OperatingSystemFamily = "LINUX", CpuArchitecture = "X86_64" },
            ExecutionRoleArn = ExecutionRole.Arn,
            Volumes = [new TaskDefinitionVolume { Name = ContainerDefinition.TmpVolume }],
            ContainerDefinitions = ContainerDefinition.ToJson(Container(args)),
        });

        var subnets = Output.Join(",", args.Network.PrivateSubnets.Select(s => s.Id));
        Command = Output.Format($"aws ecs run-task --cluster {args.Cluster.Name} --task-definition {TaskDefinition.Family} --launch-type FARGATE --network-configuration 'awsvpcConfiguration={{subnets=[{subnets}],securityGroups=[{SecurityGroup.Id}],assignPublicIp=DISABLED}}'");
    }

    /// <summary>The official client image of the engine, on Amazon ECR Public (no Docker Hub pull limits).</summary>
    public static string ClientImage(DatabaseSettings settings) => settings.Engine == DatabaseEngine.Postgres
        ? $"public.ecr.aws/docker/library/postgres:{settings.Version}-alpine"
        : $"public.ecr.aws/docker/library/mysql:{settings.Version}";

    public LogGroup LogGroup { get; }

    public SecurityGroup SecurityGroup { get; }

    public Role ExecutionRole { get; }

    public TaskDefinition TaskDefinition { get; }

    /// <summary>
    /// The AWS CLI command that runs the task once (stack output <c>databaseUsersCommand</c>), quoted for a POSIX shell
    /// (the network configuration's braces and commas would otherwise be brace-expanded).
    /// </summary>
    public Output<string> Command { get; }

    /// <summary>Creates the task when some service uses the database, and exports the command that runs it.</summary>
    public static DatabaseUsers? Create(StackContext stack, StackSettings settings, Database database, Network network, ContainerCluster cluster, LogGroups logs)
    {
        if (database.Users.Count == 0) return null;
        var users = new DatabaseUsers(database.Scope.Child("users"), new DatabaseUsersArgs(database, settings.Profile, settings.Aws, network, cluster.Cluster, logs));
        stack.Template.Export(StackOutputs.DatabaseUsersCommand, users.Command);
        return users;
    }

    /// <summary>The SQL that creates (or re-grants) every service's IAM-authenticated user; safe to run again.</summary>
    public static string Sql(DatabaseSettings settings, IEnumerable<string> users) => string.Join("\n", settings.Engine == DatabaseEngine.Postgres
        ? users.SelectMany(u => new[]
        {
            $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{u}') THEN CREATE ROLE {u} LOGIN; END IF; END $$;",
            $"GRANT rds_iam TO {u};",
            $"GRANT CONNECT, TEMPORARY ON DATABASE {settings.DatabaseName} TO {u};",
            $"GRANT USAGE, CREATE ON SCHEMA public TO {u};",
        })
        : users.SelectMany(u => new[]
        {
            $"CREATE USER IF NOT EXISTS '{u}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;",
            $"GRANT ALL PRIVILEGES ON `{settings.DatabaseName}`.* TO '{u}'@'%';",
        }));

    private ContainerDefinition Container(DatabaseUsersArgs args)
    {
        var db = args.Database;
        var settings = db.Settings;
        var postgres = settings.Engine == DatabaseEngine.Postgres;
        var port = settings.Port.ToString(CultureInfo.InvariantCulture);
        var client = postgres
            ? "psql -v ON_ERROR_STOP=1"
            : "mysql --ssl-mode=REQUIRED --host=\"$DB_HOST\" --port=\"$DB_PORT\" --user=\"$DB_ADMIN_USER\" --database=\"$DB_NAME\"";
        var script = $"set -eu\n{client} <<'SQL'\n{Sql(settings, db.Users.Values)}\nSQL\necho \"database users ready: {string.Join(", ", db.Users.Values)}\"\n";
        // The master credentials come from the RDS-managed secret, read by ECS at task start: only the ARN is here.
        (string Name, Value Value)[] environment = postgres
            ? [("PGDATABASE", new StringValue(settings.DatabaseName)), ("PGHOST", db.Address.Expression), ("PGPORT", new StringValue(port)), ("PGSSLMODE", new StringValue("require"))]
            : [("DB_HOST", db.Address.Expression), ("DB_NAME", new StringValue(settings.DatabaseName)), ("DB_PORT", new StringValue(port))];
        (string Name, string Key)[] secrets = postgres
            ? [("PGPASSWORD", "password"), ("PGUSER", "username")]
            : [("DB_ADMIN_USER", "username"), ("MYSQL_PWD", "password")];
        return new ContainerDefinition("users", Output.Format($"{ClientImage(settings)}"), "65534", LogGroup.Name, args.Aws.Region)
        {
            EntryPoint = ["sh", "-c"],
            Command = [script],
            Environment = environment,
            Secrets = [.. secrets.Select(s => (s.Name, Output.Format($"{db.SecretArn}:{s.Key}::")))],
        };
    }
}
