using System.Text.Json.Nodes;
using Platform.Infra.Settings;
using static Platform.Infra.Tests.Migration.MigrationStacks;

namespace Platform.Infra.Tests.Migration;

/// <summary>Bad input of <c>platform:migration</c> and of the target's storage: refused with stack, key and fix, all at once.</summary>
public class MigrationSettingsTests
{
    private static IReadOnlyList<ConfigProblem> Problems(Action<Dictionary<string, JsonObject>> change)
    {
        var result = Compile(change);
        Assert.False(result.Succeeded, "the config was expected to be refused");
        Assert.Null(result.Text);
        Assert.Contains("stack 'prod'", result.ErrorMessage, StringComparison.Ordinal);
        return result.Error!.Problems;
    }

    private static ConfigProblem Problem(string key, Action<Dictionary<string, JsonObject>> change) =>
        Assert.Single(Problems(change), p => p.Key == key);

    [Fact]
    public void A_target_major_lower_than_the_source_is_refused()
    {
        var problem = Problem("platform:database.version", c => c.Part("source")["engineVersion"] = "9.1");
        Assert.Contains("lower than the source's 9.1", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_older_than_dms_reads_is_refused_with_the_alternative()
    {
        var problem = Problem("platform:migration.source.engineVersion", c => c.Part("source")["engineVersion"] = "5.1");
        Assert.Contains("mysqldump", problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("source", "password")]
    [InlineData("source", "masterPassword")]
    [InlineData("target", "password")]
    public void A_plain_password_is_refused_without_echoing_it_and_the_fix_creates_a_secret(string side, string field)
    {
        const string secret = "s3cr3t-Hunter2-value";
        var problem = Problem($"platform:migration.{side}.{field}", c => c.Part(side)[field] = secret);
        Assert.Contains("aws secretsmanager create-secret", problem.Fix, StringComparison.Ordinal);
        Assert.Contains($"pulumi config rm --path 'platform:migration.{side}.{field}'", problem.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, problem.Problem + problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.2.3", "RFC 1918")]
    [InlineData("172.20.0.1", "RFC 1918")]
    [InlineData("192.168.1.1", "RFC 1918")]
    [InlineData("100.64.12.1", "carrier-grade NAT")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.10.1", "link-local")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("239.1.1.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    public void A_customer_gateway_without_a_public_address_is_refused(string ip, string kind)
    {
        var problem = Problem("platform:migration.vpn.customerGatewayIp", c => c.Part("vpn")["customerGatewayIp"] = ip);
        Assert.Contains(kind, problem.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --path 'platform:migration.vpn.customerGatewayIp'", problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.010")]
    [InlineData("vpn.example.com")]
    public void A_customer_gateway_address_that_is_not_dotted_decimal_is_refused(string ip) =>
        Problem("platform:migration.vpn.customerGatewayIp", c => c.Part("vpn")["customerGatewayIp"] = ip);

    [Fact]
    public void The_virtual_private_gateways_own_asn_is_refused_for_the_device() =>
        Assert.Contains("65010", Problem("platform:migration.vpn.bgpAsn", c => c.Part("vpn")["bgpAsn"] = 64512).Fix, StringComparison.Ordinal);

    [Theory]
    [InlineData("10.30.5.0/24", "overlaps the stack's VPC 10.30.0.0/16")]
    [InlineData("10.0.0.0/8", "overlaps the stack's VPC 10.30.0.0/16")]
    [InlineData("0.0.0.0/0", "wider than a /8")]
    [InlineData("192.168.10.1/24", "host bits")]
    public void A_source_cidr_the_vpc_cannot_route_to_is_refused(string cidr, string why) =>
        Assert.Contains(why, Problem("platform:migration.source.cidr", c => c.Part("source")["cidr"] = cidr).Problem, StringComparison.Ordinal);

    [Fact]
    public void A_missing_source_cidr_is_refused() =>
        Problem("platform:migration.source.cidr", c => c.Part("source").Remove("cidr"));

    [Theory]
    [InlineData("source", "platform-prod/migration/source")]
    [InlineData("target", "arn:aws:ssm:eu-west-1:333333333333:parameter/target")]
    [InlineData("target", "arn:aws:secretsmanager:eu-west-1:3333:secret:x")]
    public void A_secret_that_is_not_a_secrets_manager_arn_is_refused(string side, string value)
    {
        var problem = Problem($"platform:migration.{side}.secretArn", c => c.Part(side)["secretArn"] = value);
        Assert.Contains("aws secretsmanager create-secret", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_target_secret_is_refused_with_the_command_that_makes_it() =>
        Assert.Contains("create-secret --name {stack}/migration/target", Problem("platform:migration.target.secretArn", c => c.Migration().Remove("target")).Fix, StringComparison.Ordinal);

    [Fact]
    public void A_target_that_is_not_mysql_is_refused()
    {
        var problem = Problem("platform:database.engine", c =>
        {
            c.Database()["engine"] = "postgres";
            c.Database()["version"] = "18";
        });
        Assert.Contains("platform:database.engine' mysql", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_migration_without_a_database_is_refused() =>
        Problem("platform:database", c => c.Remove("platform:database"));

    [Fact]
    public void Storage_too_small_for_the_source_with_headroom_is_refused_with_the_size_that_fits()
    {
        var problem = Problem("platform:database.allocatedStorageGb", c =>
        {
            c.Database()["allocatedStorageGb"] = 20480;
            c.Database()["maxAllocatedStorageGb"] = 40960;
        });
        Assert.Contains("20480 GiB with 20 % headroom (24576 GiB)", problem.Problem, StringComparison.Ordinal);
        Assert.EndsWith("'platform:database.allocatedStorageGb' 24576 --stack prod", problem.Format("prod").Split('\n').Last().Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_refused_with_a_suggestion()
    {
        var problems = Problems(c =>
        {
            c.Migration()["conectivity"] = "vpn";
            c.Part("source")["sizeGB"] = 10;
            c.Part("task")["lobMaxSizeKB"] = 10;
        });
        Assert.Contains(problems, p => p.Key == "platform:migration.conectivity" && p.Fix.Contains("connectivity", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "platform:migration.source.sizeGB");
        Assert.Contains(problems, p => p.Key == "platform:migration.task.lobMaxSizeKB" && p.Fix.Contains("lobMaxSizeKb", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems(c =>
        {
            c.Part("source")["engineVersion"] = "9.1";
            c.Part("source")["password"] = "x";
            c.Part("source")["cidr"] = "10.30.0.0/20";
            c.Part("target")["secretArn"] = "target-secret";
            c.Part("vpn")["customerGatewayIp"] = "10.0.0.1";
            c.Database()["allocatedStorageGb"] = 100;
            c.Database()["iops"] = 40000;
        });
        Assert.Equal(
            ["platform:database.iops", "platform:migration.source.cidr", "platform:migration.source.password", "platform:migration.target.secretArn", "platform:migration.vpn.customerGatewayIp"],
            problems.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_single_az_replication_instance_is_refused_in_a_protected_stage() =>
        Assert.Contains("DMS.13", Problem("platform:migration.replication.multiAz", c => c.Part("replication")["multiAz"] = false).Problem, StringComparison.Ordinal);

    [Fact]
    public void A_network_without_nat_is_refused_because_dms_calls_aws_apis() =>
        Problem("platform:network.natStrategy", c => c["platform:network"] = new JsonObject { ["cidr"] = "10.30.0.0/16", ["azCount"] = 3, ["natStrategy"] = "none" });

    [Fact]
    public void The_vpn_block_is_required_for_vpn_connectivity_and_refused_for_existing()
    {
        Problem("platform:migration.vpn", c => c.Migration().Remove("vpn"));
        Problem("platform:migration.vpn", c => c.Migration()["connectivity"] = "existing");
    }

    [Theory]
    [InlineData("gp3", 100, 20000, null, "platform:database.iops", "below 400 GiB")]
    [InlineData("gp3", 1000, 5000, null, "platform:database.iops", "12000 (the baseline) to 64000")]
    [InlineData("gp3", 1000, 12000, 4000, "platform:database.storageThroughput", "needs at least 16000 IOPS")]
    [InlineData("io2", 1000, null, null, "platform:database.iops", "required for io2")]
    [InlineData("io2", 100, 200000, null, "platform:database.iops", "1000 IOPS per GiB")]
    [InlineData("io2", 1000, 10000, 500, "platform:database.storageThroughput", "no throughput")]
    public void Storage_performance_outside_what_rds_allows_is_refused(string type, int storage, int? iops, int? throughput, string key, string why)
    {
        var result = Compile(c =>
        {
            var db = c.Database();
            db["storageType"] = type;
            db["allocatedStorageGb"] = storage;
            db["maxAllocatedStorageGb"] = storage * 2;
            db.Remove("iops");
            db.Remove("storageThroughput");
            if (iops is { } i) db["iops"] = i;
            if (throughput is { } t) db["storageThroughput"] = t;
            c.Remove("platform:migration");
        });
        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Error!.Problems, p => p.Key == key);
        Assert.Contains(why, problem.Problem, StringComparison.Ordinal);
    }
}
