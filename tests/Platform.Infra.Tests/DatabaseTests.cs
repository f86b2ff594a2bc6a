using Moq;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

/// <summary>The Database component (RDS) and <c>platform:database</c>.</summary>
public class DatabaseTests
{
    internal const string Postgres = """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro"}""";

    private static Template With(string database = Postgres, Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c[DatabaseSettings.Key] = database;
        change?.Invoke(c);
    });

    private static void Protected(Dictionary<string, string> c) => c["platform:profile"] = """{"protect":true,"disposableData":false,"logRetentionDays":365}""";

    private static string Refs(Value? list) => string.Join(",", ((ListValue)list!).Items.Select(v => v is ReferenceValue r ? "${" + r.Expression + "}" : ((StringValue)v).Text));

    [Fact]
    public void A_stack_without_platform_database_has_no_database()
    {
        Assert.Empty(TestStacks.Template().OfType<Instance>());
    }

    [Fact]
    public void The_instance_is_private_encrypted_with_its_own_key_in_the_database_subnets_with_an_rds_managed_password()
    {
        var db = With().Get("database-instance");
        Assert.Equal("postgres", db.Text("engine"));
        Assert.Equal("16", db.Text("engineVersion"));
        Assert.Equal("db.t4g.micro", db.Text("instanceClass"));
        Assert.Equal("false", db.Text("publiclyAccessible"));
        Assert.Equal("true", db.Text("storageEncrypted"));
        Assert.Equal("gp3", db.Text("storageType"));
        Assert.Equal("${database-key.arn}", db.Text("kmsKeyId"));
        Assert.Equal("true", db.Text("manageMasterUserPassword"));
        Assert.Equal("${database-key.arn}", db.Text("masterUserSecretKmsKeyId"));
        Assert.Null(db.Prop("password"));
        Assert.Null(db.Prop("passwordWo"));
        Assert.Equal("app_admin", db.Text("username"));
        Assert.Equal("${network-db-subnets.name}", db.Text("dbSubnetGroupName"));
        Assert.Equal("${database-sg.id}", Refs(db.Prop("vpcSecurityGroupIds")));
        Assert.Equal("${database-params.name}", db.Text("parameterGroupName"));
        Assert.Equal("true", db.Text("autoMinorVersionUpgrade"));
        Assert.Equal("true", db.Text("copyTagsToSnapshot"));
        Assert.Equal("false", db.Text("skipFinalSnapshot"));
        // Unique per database: a re-created database (destroy, then up) never collides with its predecessor's final snapshot.
        Assert.Equal("platform-test-database-instance-final-${database-key.keyId}", ((InterpolationValue)db.Prop("finalSnapshotIdentifier")!).Render());
        Assert.Equal("platform-test-database-instance", db.Text("identifier"));
    }

    [Fact]
    public void The_key_rotates_and_only_the_account_administers_it()
    {
        var template = With();
        var key = template.Get("database-key");
        Assert.Equal("true", key.Text("enableKeyRotation"));
        Assert.Equal("30", key.Text("deletionWindowInDays"));
        var policy = new Evaluator(template, Mock.Of<IDeployedOutputs>()).Json(key.Prop("policy")!);
        var statement = Assert.Single(policy.GetProperty("Statement").EnumerateArray());
        Assert.Equal("arn:aws:iam::111111111111:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
    }

    [Theory]
    [InlineData("postgres", "16", "postgres16", "rds.force_ssl", "postgresql,upgrade", 5432)]
    [InlineData("postgres", "18", "postgres18", "rds.force_ssl", "postgresql,upgrade", 5432)]
    [InlineData("mysql", "8.4", "mysql8.4", "require_secure_transport", "error,slowquery", 3306)]
    public void Each_engine_forces_tls_exports_its_logs_and_listens_on_its_port(string engine, string version, string family, string tls, string logs, int port)
    {
        var template = With($$"""{"engine":"{{engine}}","version":"{{version}}","instanceClass":"db.m7g.large"}""");
        var parameters = template.Get("database-params");
        Assert.Equal(family, parameters.Text("family"));
        var values = ((ListValue)parameters.Prop("parameters")!).Items.Cast<MapValue>()
            .ToDictionary(p => ((StringValue)p["name"]!).Text, p => ((StringValue)p["value"]!).Text);
        Assert.Equal("1", values[tls]);

        var db = template.Get("database-instance");
        Assert.Equal(logs, Refs(db.Prop("enabledCloudwatchLogsExports")));
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), db.Text("port"));
        foreach (var log in logs.Split(','))
        {
            var group = template.Get($"database-log-{log}");
            Assert.Equal($"/aws/rds/instance/platform-test-database-instance/{log}", group.Text("name"));
            Assert.Equal("30", group.Text("retentionInDays"));
        }
    }

    [Fact]
    public void Safe_defaults_multi_az_deletion_protection_seven_days_of_backups_insights_and_monitoring()
    {
        var db = With().Get("database-instance");
        Assert.Equal("true", db.Text("multiAz"));
        Assert.Equal("true", db.Text("deletionProtection"));
        Assert.Equal("7", db.Text("backupRetentionPeriod"));
        Assert.Equal("03:00-04:00", db.Text("backupWindow"));
        Assert.Equal("sun:04:30-sun:05:30", db.Text("maintenanceWindow"));
        Assert.Equal("true", db.Text("performanceInsightsEnabled"));
        Assert.Equal("${database-key.arn}", db.Text("performanceInsightsKmsKeyId"));
        Assert.Equal("60", db.Text("monitoringInterval"));
        Assert.Equal("${database-monitoring-role.arn}", db.Text("monitoringRoleArn"));
        // The role's permissions and the export log groups exist before RDS checks or creates them.
        Assert.Equal(["database-log-postgresql", "database-log-upgrade", "database-monitoring-policy"], db.Options.DependsOn!.Select(r => r.LogicalName).Order());
    }

    [Fact]
    public void Stage_differences_are_data_in_the_stack_file()
    {
        var db = With("""
            {"engine":"postgres","version":"16","instanceClass":"db.t4g.small","allocatedStorageGb":30,"maxAllocatedStorageGb":50,
             "multiAz":false,"deletionProtection":false,"backupRetentionDays":1,"performanceInsights":false,"monitoringIntervalSeconds":0}
            """);
        var instance = db.Get("database-instance");
        Assert.Equal("db.t4g.small", instance.Text("instanceClass"));
        Assert.Equal("30", instance.Text("allocatedStorage"));
        Assert.Equal("50", instance.Text("maxAllocatedStorage"));
        Assert.Equal("false", instance.Text("multiAz"));
        Assert.Equal("false", instance.Text("deletionProtection"));
        Assert.Equal("1", instance.Text("backupRetentionPeriod"));
        Assert.Equal("false", instance.Text("performanceInsightsEnabled"));
        Assert.Null(instance.Prop("performanceInsightsKmsKeyId"));
        Assert.Equal("0", instance.Text("monitoringInterval"));
        Assert.Null(instance.Prop("monitoringRoleArn"));
        Assert.Null(db.Find("database-monitoring-role"));
    }

    [Fact]
    public void In_a_protected_stage_the_instance_key_and_logs_are_protected_and_retained()
    {
        var template = With(change: Protected);
        foreach (var name in new[] { "database-instance", "database-key", "database-log-postgresql" })
        {
            var options = template.Get(name).Options;
            Assert.True(options.Protect, name);
            Assert.True(options.RetainOnDelete, name);
        }
        Assert.Null(With().Get("database-instance").Options.Protect);
    }

    [Fact]
    public void The_monitoring_role_is_assumable_only_by_rds_monitoring_of_this_account_and_writes_only_os_metrics()
    {
        var template = With();
        var evaluator = new Evaluator(template, Mock.Of<IDeployedOutputs>(MockBehavior.Strict));
        var trust = Assert.Single(evaluator.Json(template.Get("database-monitoring-role").Prop("assumeRolePolicy")!).GetProperty("Statement").EnumerateArray());
        Assert.Equal("monitoring.rds.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal("111111111111", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")[0].GetString());
        var policy = evaluator.Json(template.Get("database-monitoring-policy").Prop("policy")!);
        var resources = policy.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()).ToList();
        Assert.Equal(["arn:aws:logs:eu-west-1:111111111111:log-group:RDSOSMetrics", "arn:aws:logs:eu-west-1:111111111111:log-group:RDSOSMetrics:log-stream:*"], resources);
        Assert.DoesNotContain(policy.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray()), a => a.GetString()!.Contains('*'));
    }

    [Fact]
    public void Without_services_the_security_group_admits_nothing_and_sends_nothing()
    {
        var template = With();
        var sg = template.Get("database-sg");
        Assert.Null(sg.Prop("ingress"));
        Assert.Null(sg.Prop("egress"));
        Assert.DoesNotContain(template.Resources, r => r.LogicalName.StartsWith("database-ingress", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stack_exports_the_endpoint_and_the_secret_arn_only()
    {
        var outputs = With().Outputs;
        Assert.Equal(new ReferenceValue("database-instance", "endpoint"), outputs[StackOutputs.DatabaseEndpoint]);
        Assert.Equal(new ReferenceValue("database-instance", "masterUserSecrets[0].secretArn"), outputs[StackOutputs.DatabaseSecretArn]);
    }

    public static TheoryData<string, string, string, string> BadDatabases => new()
    {
        { """{"engine":"oracle","version":"19","instanceClass":"db.t4g.micro"}""", "", "platform:database.engine", "'oracle' is not one of postgres, mysql" },
        { """{"engine":"postgres","version":"14","instanceClass":"db.t4g.micro"}""", "", "platform:database.version", "'14' is not a supported postgres version (supported: 18, 17, 16)" },
        { """{"engine":"postgres","version":"13","instanceClass":"db.t4g.micro"}""", "", "platform:database.version", "postgres 13 runs on RDS only in Extended Support" },
        { """{"engine":"mysql","version":"8.0","instanceClass":"db.t4g.micro"}""", "", "platform:database.version", "mysql 8.0 runs on RDS only in Extended Support, charged per vCPU-hour on top of the instance (supported: 8.4)" },
        { """{"engine":"mysql","version":"5.7","instanceClass":"db.t4g.micro"}""", "", "platform:database.version", "mysql 5.7 runs on RDS only in Extended Support" },
        { """{"engine":"postgres","version":"18","instanceClass":"db.t4g.micro","readReplicas":1}""", "", "platform:database.readReplicas", "RDS cannot create a read replica of an instance whose master password it manages in Secrets Manager" },
        { """{"engine":"postgres","version":"16","instanceClass":"t4g.micro"}""", "", "platform:database.instanceClass", "'t4g.micro' is not an RDS instance class" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.huge"}""", "", "platform:database.instanceClass", "'db.t4g.huge' is not an RDS instance class" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","backupRetentionDays":0}""", "protected", "platform:database.backupRetentionDays", "is 0, which turns automated backups off, in a protected stage" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","backupRetentionDays":36}""", "", "platform:database.backupRetentionDays", "36 is out of range: must be from 0 to 35" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","multiAz":false}""", "protected", "platform:database.multiAz", "is false in a protected stage (RDS.5)" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","deletionProtection":false}""", "protected", "platform:database.deletionProtection", "is false in a protected stage (RDS.8)" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","allocatedStorageGb":100,"maxAllocatedStorageGb":100}""", "", "platform:database.maxAllocatedStorageGb", "must be larger than allocatedStorageGb (100)" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","monitoringIntervalSeconds":20}""", "", "platform:database.monitoringIntervalSeconds", "20 is not an interval RDS accepts" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","backupWindow":"03:00-04:00","maintenanceWindow":"mon:03:30-mon:04:30"}""", "", "platform:database.maintenanceWindow", "overlaps the backup window" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","backupWindow":"3:00-4:00"}""", "", "platform:database.backupWindow", "'3:00-4:00' is not a daily UTC window hh24:mi-hh24:mi like 03:00-04:00." },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","maintenanceWindow":"sunday:04:30"}""", "", "platform:database.maintenanceWindow", "'sunday:04:30' is not a weekly UTC window" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","databaseName":"App"}""", "", "platform:database.databaseName", "'App' is not a database name: 1-63 lower-case letters" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","masterUsername":"a_very_long_admin"}""", "", "platform:database.masterUsername", "'a_very_long_admin' is not a master user name: 1-16 lower-case letters" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","masterUsername":"postgres"}""", "", "platform:database.masterUsername", "is an engine default or reserved name (RDS.25)" },
        { """{"engine":"postgres","version":"16","instanceClass":"db.t4g.micro","storage":"gp2"}""", "", "platform:database.storage", "is not a known field." },
    };

    [Theory]
    [MemberData(nameof(BadDatabases))]
    public void Bad_database_settings_are_refused_naming_the_key(string database, string profile, string key, string problem)
    {
        var problems = Problems(c =>
        {
            c[DatabaseSettings.Key] = database;
            if (profile == "protected") Protected(c);
        }, "prod");
        var found = Assert.Single(problems, p => p.Key == key);
        Assert.Contains(problem, found.Problem);
        Assert.False(string.IsNullOrWhiteSpace(found.Fix));
        Assert.Contains("stack 'prod'", new ConfigException("prod", problems).Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems(c => c[DatabaseSettings.Key] = """{"engine":"postgres","version":"12","instanceClass":"m5.large","backupRetentionDays":0}""");
        Assert.Contains(problems, p => p.Key == "platform:database.version");
        Assert.Contains(problems, p => p.Key == "platform:database.instanceClass");
    }
}
