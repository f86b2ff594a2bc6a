using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Migration.MigrationStacks;

namespace Platform.Infra.Tests.Migration;

/// <summary>
/// The MySQL migration (<c>platform:migration</c>): VPN to the source network, DMS replication instance, endpoints
/// that read their credentials from Secrets Manager, the full-load-and-CDC task, its alarms.
/// </summary>
public class MigrationTests
{
    private const string SourceSecret = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:platform-prod/migration/source-AbCdEf";
    private const string TargetSecret = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:platform-prod/migration/target-GhIjKl";

    private static readonly Template Fixture = Template();

    /// <summary>A JSON document property (task documents, policies): literals only, so any reference would fail the strict mock.</summary>
    private static JsonElement Json(Resource resource, string property) =>
        new Evaluator(Fixture, new Moq.Mock<IDeployedOutputs>(Moq.MockBehavior.Strict).Object).Json(resource.Prop(property)!);

    [Fact]
    public void The_task_replicates_from_the_source_endpoint_to_the_target_endpoint_and_waits_for_the_operator_to_start_it()
    {
        var task = Fixture.Get("migration-task");
        Assert.Equal("full-load-and-cdc", task.Text("migrationType"));
        Assert.Equal("${migration-source.endpointArn}", task.Text("sourceEndpointArn"));
        Assert.Equal("${migration-target.endpointArn}", task.Text("targetEndpointArn"));
        Assert.Equal("${migration-replication.replicationInstanceArn}", task.Text("replicationInstanceArn"));
        Assert.Equal("false", task.Text("startReplicationTask"));
        Assert.Equal("source", Fixture.Get("migration-source").Text("endpointType"));
        Assert.Equal("target", Fixture.Get("migration-target").Text("endpointType"));
    }

    [Fact]
    public void The_table_mappings_include_and_exclude_what_the_config_lists()
    {
        var rules = Json(Fixture.Get("migration-task"), "tableMappings").GetProperty("rules").EnumerateArray().ToList();
        Assert.All(rules, r => Assert.Equal("selection", r.GetProperty("rule-type").GetString()));
        Assert.Equal(["include app.%", "include billing.%", "exclude app.audit_log"], rules.Select(r =>
            $"{r.GetProperty("rule-action").GetString()} {r.GetProperty("object-locator").GetProperty("schema-name").GetString()}.{r.GetProperty("object-locator").GetProperty("table-name").GetString()}"));
        Assert.Equal(rules.Count, rules.Select(r => r.GetProperty("rule-id").GetString()).Distinct().Count());
    }

    [Fact]
    public void Large_tables_load_in_parallel_with_limited_lob_mode_validation_and_logging()
    {
        var settings = Json(Fixture.Get("migration-task"), "replicationTaskSettings");
        Assert.Equal(16, settings.GetProperty("FullLoadSettings").GetProperty("MaxFullLoadSubTasks").GetInt32());
        Assert.Equal("DO_NOTHING", settings.GetProperty("FullLoadSettings").GetProperty("TargetTablePrepMode").GetString());
        var lobs = settings.GetProperty("TargetMetadata");
        Assert.True(lobs.GetProperty("LimitedSizeLobMode").GetBoolean());
        Assert.False(lobs.GetProperty("FullLobMode").GetBoolean());
        Assert.Equal(64, lobs.GetProperty("LobMaxSize").GetInt32());
        Assert.True(settings.GetProperty("ValidationSettings").GetProperty("EnableValidation").GetBoolean());
        Assert.True(settings.GetProperty("Logging").GetProperty("EnableLogging").GetBoolean());
        Assert.Equal("4", Fixture.Get("migration-target").Text("mysqlSettings.parallelLoadThreads"));
    }

    [Fact]
    public void The_endpoints_name_their_secrets_by_arn_and_no_resource_has_a_password()
    {
        foreach (var (endpoint, secret) in new[] { ("migration-source", SourceSecret), ("migration-target", TargetSecret) })
        {
            var e = Fixture.Get(endpoint);
            Assert.Equal(secret, e.Text("secretsManagerArn"));
            Assert.Equal("${migration-secrets-role.arn}", e.Text("secretsManagerAccessRoleArn"));
            Assert.Equal("mysql", e.Text("engineName"));
            Assert.Equal("require", e.Text("sslMode"));
            foreach (var field in new[] { "password", "username", "serverName", "port" }) Assert.Null(e.Prop(field));
        }
        var keys = Fixture.Resources.SelectMany(r => Keys(r.RenderedInputs)).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("password", keys);
        Assert.DoesNotContain("tunnel1PresharedKey", keys);
        Assert.DoesNotContain("tunnel2PresharedKey", keys);
    }

    private static IEnumerable<string> Keys(Value value) => value switch
    {
        MapValue m => m.Entries.SelectMany(e => Keys(e.Value).Prepend(e.Key)),
        ListValue l => l.Items.SelectMany(Keys),
        FunctionValue f => Keys(f.Argument),
        _ => [],
    };

    [Fact]
    public void The_access_role_may_read_only_the_two_secrets_and_decrypt_only_through_secrets_manager_for_them()
    {
        var statements = Json(Fixture.Get("migration-secrets-policy"), "policy").GetProperty("Statement").EnumerateArray().ToList();
        PolicyDecision Decide(string action, string resource, params (string, string)[] context) => PolicySimulator.Decide(statements, PolicyRequest.Of(action, resource, context));

        Assert.Equal(PolicyDecision.Allow, Decide("secretsmanager:GetSecretValue", SourceSecret));
        Assert.Equal(PolicyDecision.Allow, Decide("secretsmanager:GetSecretValue", TargetSecret));
        Assert.Equal(PolicyDecision.NotAllowed, Decide("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:333333333333:secret:other-XyZ"));
        Assert.Equal(PolicyDecision.NotAllowed, Decide("secretsmanager:PutSecretValue", SourceSecret));

        const string key = "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const string via = "secretsmanager.eu-west-1.amazonaws.com";
        Assert.Equal(PolicyDecision.Allow, Decide("kms:Decrypt", key, ("kms:ViaService", via), ("kms:EncryptionContext:SecretARN", SourceSecret)));
        Assert.Equal(PolicyDecision.NotAllowed, Decide("kms:Decrypt", key, ("kms:ViaService", via), ("kms:EncryptionContext:SecretARN", "arn:aws:secretsmanager:eu-west-1:333333333333:secret:other-XyZ")));
        Assert.Equal(PolicyDecision.NotAllowed, Decide("kms:Decrypt", key, ("kms:EncryptionContext:SecretARN", SourceSecret)));
        Assert.Equal(PolicyDecision.NotAllowed, Decide("kms:Decrypt", "arn:aws:kms:eu-west-1:444444444444:key/x", ("kms:ViaService", via), ("kms:EncryptionContext:SecretARN", SourceSecret)));

        var trust = Json(Fixture.Get("migration-secrets-role"), "assumeRolePolicy").GetProperty("Statement")[0];
        Assert.Equal("dms.eu-west-1.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal("333333333333", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")[0].GetString());
    }

    [Fact]
    public void The_private_and_database_route_tables_send_the_source_cidr_to_the_vpn_gateway()
    {
        var routes = Fixture.Resources.Where(r => r.TypeToken == "aws:ec2/route:Route" && r.LogicalName.StartsWith("migration-", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["${network-database-rt.id}", "${network-private-rt-az1.id}", "${network-private-rt-az2.id}", "${network-private-rt-az3.id}"],
            routes.Select(r => r.Text("routeTableId")).Order(StringComparer.Ordinal));
        Assert.All(routes, r =>
        {
            Assert.Equal("192.168.10.0/24", r.Text("destinationCidrBlock"));
            Assert.Equal("${migration-vpn-gateway.id}", r.Text("gatewayId"));
        });
        Assert.Equal("${network-vpc.id}", Fixture.Get("migration-vpn-gateway").Text("vpcId"));
        var vpnRoute = Fixture.Get("migration-vpn-route");
        Assert.Equal("192.168.10.0/24", vpnRoute.Text("destinationCidrBlock"));
        Assert.Equal("${migration-vpn.id}", vpnRoute.Text("vpnConnectionId"));
    }

    [Fact]
    public void The_vpn_connects_the_customer_gateway_with_ikev2_and_keeps_the_preshared_keys_in_secrets_manager()
    {
        var gateway = Fixture.Get("migration-customer-gateway");
        Assert.Equal("203.0.113.10", gateway.Text("ipAddress"));
        Assert.Equal("ipsec.1", gateway.Text("type"));
        var vpn = Fixture.Get("migration-vpn");
        Assert.Equal("${migration-customer-gateway.id}", vpn.Text("customerGatewayId"));
        Assert.Equal("${migration-vpn-gateway.id}", vpn.Text("vpnGatewayId"));
        Assert.Equal("true", vpn.Text("staticRoutesOnly"));
        Assert.Equal("SecretsManager", vpn.Text("presharedKeyStorage"));
        foreach (var tunnel in new[] { "tunnel1", "tunnel2" })
        {
            Assert.Equal(["ikev2"], ((ListValue)vpn.Prop($"{tunnel}IkeVersions")!).Items.Select(v => TemplateQuery.Text(v)));
            Assert.DoesNotContain("2", ((ListValue)vpn.Prop($"{tunnel}Phase1DhGroupNumbers")!).Items.Select(v => TemplateQuery.Text(v)));
        }
        Assert.Equal("${migration-vpn.presharedKeyArn}", TemplateQuery.Text(Fixture.Outputs[StackOutputs.MigrationVpnPresharedKeyArn]));
        Assert.Equal(["${migration-vpn.tunnel1Address}", "${migration-vpn.tunnel2Address}"],
            ((ListValue)Fixture.Outputs[StackOutputs.MigrationVpnTunnelAddresses]).Items.Select(v => TemplateQuery.Text(v)));
        var text = TemplateWriter.Write(Fixture);
        Assert.DoesNotContain("tunnel1PresharedKey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tunnel2PresharedKey", text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_bgp_asn_the_device_advertises_the_source_and_the_connection_has_no_static_route()
    {
        var template = Template(c => c.Part("vpn")["bgpAsn"] = 65010);
        Assert.Equal("65010", template.Get("migration-customer-gateway").Text("bgpAsn"));
        Assert.Equal("false", template.Get("migration-vpn").Text("staticRoutesOnly"));
        Assert.Null(template.Find("migration-vpn-route"));
    }

    [Fact]
    public void Existing_connectivity_builds_no_vpn_but_still_opens_the_path_to_the_source()
    {
        var template = Template(c =>
        {
            c.Migration()["connectivity"] = "existing";
            c.Migration().Remove("vpn");
        });
        Assert.DoesNotContain(template.Resources, r => r.TypeToken.StartsWith("aws:ec2/vpn", StringComparison.Ordinal) || r.TypeToken == "aws:ec2/customerGateway:CustomerGateway");
        Assert.DoesNotContain(template.Resources, r => r.TypeToken == "aws:ec2/route:Route" && r.LogicalName.StartsWith("migration-", StringComparison.Ordinal));
        Assert.Equal("192.168.10.0/24", template.Get("migration-egress-source").Text("cidrIpv4"));
        Assert.False(template.Outputs.ContainsKey(StackOutputs.MigrationVpnTunnelAddresses));
    }

    [Fact]
    public void The_replication_instance_reaches_the_source_port_and_the_database_which_admits_it()
    {
        var source = Fixture.Get("migration-egress-source");
        Assert.Equal("${migration-sg.id}", source.Text("securityGroupId"));
        Assert.Equal("192.168.10.0/24", source.Text("cidrIpv4"));
        Assert.Equal("3306", source.Text("fromPort"));
        var target = Fixture.Get("migration-egress-target");
        Assert.Equal("${database-sg.id}", target.Text("referencedSecurityGroupId"));
        var ingress = Fixture.Get("migration-database-ingress");
        Assert.Equal("${database-sg.id}", ingress.Text("securityGroupId"));
        Assert.Equal("${migration-sg.id}", ingress.Text("referencedSecurityGroupId"));
        Assert.Equal("3306", ingress.Text("fromPort"));

        var instance = Fixture.Get("migration-replication");
        Assert.Equal("false", instance.Text("publiclyAccessible"));
        Assert.Equal("${migration-key.arn}", instance.Text("kmsKeyArn"));
        Assert.Equal(["${migration-sg.id}"], ((ListValue)instance.Prop("vpcSecurityGroupIds")!).Items.Select(v => TemplateQuery.Text(v)));
        Assert.Equal("${migration-subnets.replicationSubnetGroupId}", instance.Text("replicationSubnetGroupId"));
        Assert.Equal(["${network-private-az1.id}", "${network-private-az2.id}", "${network-private-az3.id}"],
            ((ListValue)Fixture.Get("migration-subnets").Prop("subnetIds")!).Items.Select(v => TemplateQuery.Text(v)));
    }

    [Fact]
    public void The_account_roles_exist_before_the_subnet_group_and_the_task_and_outlive_the_stack()
    {
        var vpcRole = Fixture.Get("migration-dms-vpc-role");
        Assert.Equal("dms-vpc-role", vpcRole.Text("name"));
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole", Fixture.Get("migration-dms-vpc-role-policy").Text("policyArn"));
        Assert.Equal("dms-cloudwatch-logs-role", Fixture.Get("migration-dms-logs-role").Text("name"));
        Assert.True(vpcRole.Options.RetainOnDelete);
        Assert.True(Fixture.Get("migration-dms-vpc-role-policy").Options.RetainOnDelete);
        Assert.Equal(["migration-dms-vpc-role-policy"], Fixture.Get("migration-subnets").Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Contains("migration-dms-logs-role-policy", Fixture.Get("migration-task").Options.DependsOn!.Select(r => r.LogicalName));
    }

    [Fact]
    public void A_second_stack_in_the_account_uses_the_existing_account_roles()
    {
        var template = Template(c =>
        {
            c.Migration()["createDmsVpcRole"] = false;
            c.Migration()["createDmsCloudWatchLogsRole"] = false;
        });
        Assert.DoesNotContain(template.Resources, r => r.LogicalName.StartsWith("migration-dms-", StringComparison.Ordinal));
        Assert.Null(template.Get("migration-subnets").Options.DependsOn);
        Assert.DoesNotContain(template.Get("migration-task").Options.DependsOn!, r => r.LogicalName.StartsWith("migration-dms-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_task_logs_to_the_group_dms_names_after_the_instance_created_first_and_encrypted()
    {
        var id = Fixture.Get("migration-replication").Text("replicationInstanceId");
        var group = Fixture.Get("migration-task-logs");
        Assert.Equal($"dms-tasks-{id}", group.Text("name"));
        Assert.Equal("${logs-key.arn}", group.Text("kmsKeyId"));
        Assert.Contains("migration-task-logs", Fixture.Get("migration-task").Options.DependsOn!.Select(r => r.LogicalName));
    }

    [Theory]
    [InlineData("source", "CDCLatencySource")]
    [InlineData("target", "CDCLatencyTarget")]
    public void Cdc_latency_alarms_watch_the_task_on_its_instance_and_notify_the_alarm_topic(string side, string metric)
    {
        var alarm = Fixture.Get($"monitoring-migration-cdc-latency-{side}");
        Assert.Equal("AWS/DMS", alarm.Text("namespace"));
        Assert.Equal(metric, alarm.Text("metricName"));
        Assert.Equal("${migration-replication.replicationInstanceId}", alarm.Text("dimensions.ReplicationInstanceIdentifier"));
        Assert.Equal(Fixture.Get("migration-task").Text("resourceIdentifier"), alarm.Text("dimensions.ReplicationTaskIdentifier"));
        Assert.Equal("600", alarm.Text("threshold"));
        Assert.Contains("${monitoring-alarms.arn}", ((ListValue)alarm.Prop("alarmActions")!).Items.Select(v => TemplateQuery.Text(v)));

        var tuned = Template(c => c["platform:monitoring"] = new JsonObject { ["thresholds"] = new JsonObject { ["dmsCdcLatencySeconds"] = 120 } });
        Assert.Equal("120", tuned.Get($"monitoring-migration-cdc-latency-{side}").Text("threshold"));
    }

    [Fact]
    public void The_replication_instance_cpu_and_free_storage_are_watched()
    {
        Assert.Equal("${migration-replication.replicationInstanceId}", Fixture.Get("monitoring-migration-cpu").Text("dimensions.ReplicationInstanceIdentifier"));
        var storage = Fixture.Get("monitoring-migration-free-storage");
        Assert.Equal("FreeStorageSpace", storage.Text("metricName"));
        Assert.Equal((20.0 * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), storage.Text("threshold"));
    }

    [Fact]
    public void The_target_database_gets_the_storage_type_and_performance_of_its_settings()
    {
        var db = Fixture.Get("database-instance");
        Assert.Equal("gp3", db.Text("storageType"));
        Assert.Equal("24576", db.Text("allocatedStorage"));
        Assert.Equal("40000", db.Text("iops"));
        Assert.Equal("2000", db.Text("storageThroughput"));

        var io2 = Template(c =>
        {
            c.Database()["storageType"] = "io2";
            c.Database()["iops"] = 80000;
            c.Database().Remove("storageThroughput");
        }).Get("database-instance");
        Assert.Equal("io2", io2.Text("storageType"));
        Assert.Equal("80000", io2.Text("iops"));
        Assert.Null(io2.Prop("storageThroughput"));
    }

    [Fact]
    public void No_checked_in_stack_migrates_and_discovery_names_every_migration_type()
    {
        var discovery = StackCompiler.Compile(new CompileRequest(TestStacks.Project, null, new Dictionary<string, string>()));
        Assert.True(discovery.Succeeded, discovery.ErrorMessage);
        var types = discovery.Template!.Resources.Select(r => r.TypeToken).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "aws:ec2/customerGateway:CustomerGateway", "aws:ec2/vpnGateway:VpnGateway", "aws:ec2/vpnConnection:VpnConnection", "aws:ec2/vpnConnectionRoute:VpnConnectionRoute",
            "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "aws:dms/replicationInstance:ReplicationInstance",
            "aws:dms/endpoint:Endpoint", "aws:dms/replicationTask:ReplicationTask",
        }, types);

        var layout = new Platform.Automation.Stacks.ProjectLayout(TestStacks.RepoRoot);
        Assert.All(layout.Stacks, stack => Assert.False(layout.ReadStack(stack).Values.ContainsKey(MigrationSettings.Key), $"{stack} turns the migration on"));
    }
}
