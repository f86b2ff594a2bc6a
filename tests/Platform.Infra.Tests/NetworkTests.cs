using Moq;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

public class NetworkTests
{
    private static Template With(int azs, string nat) => TestStacks.Template(c =>
    {
        Set(c, "platform:network", "azCount", azs);
        Set(c, "platform:network", "natStrategy", nat);
    });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_tier_has_one_subnet_per_az_in_its_own_az(int azs)
    {
        var template = With(azs, "single");
        foreach (var tier in new[] { "public", "private", "database" })
        {
            var subnets = template.OfType<Subnet>().Where(s => s.Text("tags.Tier") == tier).ToList();
            Assert.Equal(azs, subnets.Count);
            Assert.Equal(Enumerable.Range(0, azs).Select(i => $"${{availability-zones[{i}]}}"), subnets.Select(s => s.Text("availabilityZone")));
            Assert.All(subnets, s => Assert.Equal("${network-vpc.id}", s.Text("vpcId")));
        }
    }

    [Fact]
    public void No_subnet_maps_public_ips_on_launch()
    {
        Assert.All(With(3, "onePerAz").OfType<Subnet>(), s => Assert.Equal("false", s.Text("mapPublicIpOnLaunch")));
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("single", 1)]
    [InlineData("onePerAz", 3)]
    public void Nat_gateways_follow_the_strategy_each_with_its_eip_in_a_public_subnet(string strategy, int expected)
    {
        var template = With(3, strategy);
        var nats = template.OfType<NatGateway>().ToList();
        Assert.Equal(expected, nats.Count);
        Assert.Equal(expected, template.OfType<Eip>().Count());
        for (var az = 0; az < nats.Count; az++)
        {
            Assert.Equal($"${{network-nat-eip-az{az + 1}.allocationId}}", nats[az].Text("allocationId"));
            Assert.Equal($"${{network-public-az{az + 1}.id}}", nats[az].Text("subnetId"));
            Assert.Contains(nats[az].Options.DependsOn!, r => r.LogicalName == "network-igw");
        }
    }

    [Fact]
    public void With_nat_per_az_each_private_subnet_routes_through_the_nat_of_its_own_az()
    {
        var template = With(3, "onePerAz");
        for (var az = 1; az <= 3; az++)
        {
            var association = template.Get($"network-private-az{az}-rt");
            Assert.Equal($"${{network-private-rt-az{az}.id}}", association.Text("routeTableId"));
            var route = template.Get($"network-private-default-route-az{az}");
            Assert.Equal($"${{network-private-rt-az{az}.id}}", route.Text("routeTableId"));
            Assert.Equal("0.0.0.0/0", route.Text("destinationCidrBlock"));
            Assert.Equal($"${{network-nat-az{az}.id}}", route.Text("natGatewayId"));
        }
    }

    [Fact]
    public void With_a_single_nat_every_private_subnet_shares_one_route_table_to_it()
    {
        var template = With(2, "single");
        Assert.All(new[] { 1, 2 }, az => Assert.Equal("${network-private-rt.id}", template.Get($"network-private-az{az}-rt").Text("routeTableId")));
        Assert.Equal("${network-nat-az1.id}", template.Get("network-private-default-route").Text("natGatewayId"));
    }

    [Fact]
    public void Without_nat_private_subnets_have_no_default_route()
    {
        var routes = With(2, "none").OfType<Route>().ToList();
        var route = Assert.Single(routes);
        Assert.Equal("${network-igw.id}", route.Text("gatewayId"));
        Assert.Equal("${network-public-rt.id}", route.Text("routeTableId"));
    }

    [Fact]
    public void Database_subnets_are_isolated_and_reach_only_s3_through_the_gateway_endpoint()
    {
        var template = With(3, "onePerAz");
        Assert.DoesNotContain(template.OfType<Route>(), r => r.Text("routeTableId") == "${network-database-rt.id}");
        var endpoint = template.Get("network-s3-endpoint");
        Assert.Equal("com.amazonaws.eu-west-1.s3", endpoint.Text("serviceName"));
        Assert.Equal("Gateway", endpoint.Text("vpcEndpointType"));
        Assert.Equal(
            ["${network-private-rt-az1.id}", "${network-private-rt-az2.id}", "${network-private-rt-az3.id}", "${network-database-rt.id}"],
            ((ListValue)endpoint.Prop("routeTableIds")!).Items.Select(v => "${" + ((ReferenceValue)v).Expression + "}"));
    }

    [Fact]
    public void The_default_security_group_is_adopted_with_no_rules()
    {
        var sg = Assert.Single(With(2, "single").OfType<DefaultSecurityGroup>());
        Assert.Null(sg.Prop("ingress"));
        Assert.Null(sg.Prop("egress"));
        Assert.Equal("${network-vpc.id}", sg.Text("vpcId"));
    }

    [Fact]
    public void The_vpc_has_dns_support_and_hostnames()
    {
        var vpc = With(2, "single").Get("network-vpc");
        Assert.Equal("true", vpc.Text("enableDnsSupport"));
        Assert.Equal("true", vpc.Text("enableDnsHostnames"));
        Assert.Equal("10.10.0.0/16", vpc.Text("cidrBlock"));
    }

    [Fact]
    public void Flow_logs_capture_all_traffic_into_the_log_group_through_their_role()
    {
        var template = With(2, "single");
        var flowLog = template.Get("network-flow-log");
        Assert.Equal("ALL", flowLog.Text("trafficType"));
        Assert.Equal("${network-flow-logs-group.arn}", flowLog.Text("logDestination"));
        Assert.Equal("${network-flow-logs-role.arn}", flowLog.Text("iamRoleArn"));
        Assert.Equal(["network-flow-logs-policy"], flowLog.Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Equal("30", template.Get("network-flow-logs-group").Text("retentionInDays"));
    }

    [Fact]
    public void The_flow_log_role_may_only_write_to_its_own_log_group_and_only_the_flow_log_service_of_this_account_assumes_it()
    {
        var template = With(2, "single");
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get("network-flow-logs-group", "aws:cloudwatch/logGroup:LogGroup", "arn"))
            .Returns("arn:aws:logs:eu-west-1:111111111111:log-group:/platform/test/network/flow-logs");
        var evaluator = new Evaluator(template, outputs.Object);

        var policy = evaluator.Json(template.Get("network-flow-logs-policy").Prop("policy")!);
        var statement = Assert.Single(policy.GetProperty("Statement").EnumerateArray());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(
            ["arn:aws:logs:eu-west-1:111111111111:log-group:/platform/test/network/flow-logs", "arn:aws:logs:eu-west-1:111111111111:log-group:/platform/test/network/flow-logs:*"],
            statement.GetProperty("Resource").EnumerateArray().Select(a => a.GetString()));
        outputs.VerifyAll();

        var trust = Assert.Single(evaluator.Json(template.Get("network-flow-logs-role").Prop("assumeRolePolicy")!).GetProperty("Statement").EnumerateArray());
        Assert.Equal("vpc-flow-logs.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal("111111111111", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")[0].GetString());
        Assert.Equal("arn:aws:ec2:eu-west-1:111111111111:vpc-flow-log/*", trust.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:SourceArn")[0].GetString());
    }

    [Fact]
    public void The_db_subnet_group_spans_the_database_subnets()
    {
        var group = With(3, "single").Get("network-db-subnets");
        Assert.Equal(["${network-database-az1.id}", "${network-database-az2.id}", "${network-database-az3.id}"],
            ((ListValue)group.Prop("subnetIds")!).Items.Select(v => "${" + ((ReferenceValue)v).Expression + "}"));
    }

    [Fact]
    public void Stack_outputs_give_the_vpc_and_subnet_ids_per_tier()
    {
        var outputs = With(2, "single").Outputs;
        Assert.Subset(outputs.Keys.ToHashSet(), new HashSet<string> { StackOutputs.DatabaseSubnetIds, StackOutputs.DbSubnetGroupName, StackOutputs.PrivateSubnetIds, StackOutputs.PublicSubnetIds, StackOutputs.VpcId });
        Assert.Equal(new ReferenceValue("network-vpc", "id"), outputs[StackOutputs.VpcId]);
    }

    [Fact]
    public void Every_taggable_resource_gets_a_name_and_component_tag()
    {
        var vpc = With(2, "single").Get("network-vpc");
        Assert.Equal("platform-test-network-vpc", vpc.Text("tags.Name"));
        Assert.Equal("network", vpc.Text("tags.Component"));
    }
}
