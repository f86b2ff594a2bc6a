using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>Inputs of the <see cref="Network"/> component.</summary>
/// <param name="Layout">Address range, AZ count, NAT strategy and subnet layout.</param>
/// <param name="Aws">Region, account and partition (for the flow-log role's trust conditions and endpoint names).</param>
/// <param name="Logs">The stack's log groups (the flow logs' group).</param>
public sealed record NetworkArgs(NetworkSettings Layout, AwsSettings Aws, LogGroups Logs);

/// <summary>
/// A VPC across 2-3 AZs with public, private (egress through NAT) and database (isolated) subnets; an internet
/// gateway; NAT per strategy; a route table per tier (per AZ where NAT is per AZ); the default security group
/// stripped of rules; flow logs of all traffic to CloudWatch Logs; an S3 gateway endpoint; a DB subnet group.
/// </summary>
public sealed class Network
{
    public Network(ComponentScope scope, NetworkArgs args)
    {
        var layout = args.Layout;
        var azs = scope.Template.SharedVariable<string[]>("availability-zones", () => Invoke.Aws(
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            MapValue.From(
            [
                new("state", new StringValue("available")),
                new("filters", new ListValue([MapValue.From(
                [
                    new("name", new StringValue("opt-in-status")),
                    new("values", new ListValue([new StringValue("opt-in-not-required")])),
                ])])),
            ]),
            "names"));

        Vpc = scope.Add("vpc", new VpcArgs
        {
            CidrBlock = layout.VpcCidr.ToString(),
            EnableDnsSupport = true,
            EnableDnsHostnames = true,
        });

        var igw = scope.Add("igw", new InternetGatewayArgs { VpcId = Vpc.Id });

        // The default security group allows all traffic between its members: adopt it and remove every rule (EC2.2).
        scope.Add("default-sg", new DefaultSecurityGroupArgs { VpcId = Vpc.Id });

        PublicSubnets = Subnets(scope, SubnetTier.Public, layout, azs);
        PrivateSubnets = Subnets(scope, SubnetTier.Private, layout, azs);
        DatabaseSubnets = Subnets(scope, SubnetTier.Database, layout, azs);

        var publicRoutes = scope.Add("public-rt", new RouteTableArgs { VpcId = Vpc.Id, Tags = new() { ["Tier"] = "public" } });
        scope.Add("public-default-route", new RouteArgs { RouteTableId = publicRoutes.Id, DestinationCidrBlock = "0.0.0.0/0", GatewayId = igw.Id });
        Associate(scope, PublicSubnets, _ => publicRoutes);

        NatGateways = NatGatewaysFor(scope, layout, igw);
        PrivateRouteTables = PrivateRoutes(scope, layout);
        Associate(scope, PrivateSubnets, az => PrivateRouteTables[Math.Min(az, PrivateRouteTables.Count - 1)]);

        // Database subnets are isolated: their route table has only the local route (and the S3 endpoint).
        var databaseRoutes = DatabaseRouteTable = scope.Add("database-rt", new RouteTableArgs { VpcId = Vpc.Id, Tags = new() { ["Tier"] = "database" } });
        Associate(scope, DatabaseSubnets, _ => databaseRoutes);

        scope.Add("s3-endpoint", new VpcEndpointArgs
        {
            VpcId = Vpc.Id,
            ServiceName = $"com.amazonaws.{args.Aws.Region}.s3",
            VpcEndpointType = "Gateway",
            RouteTableIds = [.. PrivateRouteTables.Select(t => (Input<string>)t.Id), databaseRoutes.Id],
        });

        FlowLogs(scope, args);

        DbSubnetGroup = scope.Add("db-subnets", new SubnetGroupArgs
        {
            Name = scope.PhysicalName("db-subnets"),
            Description = $"Database subnets of {scope.Stack.Project}/{scope.Stack.Stack}",
            SubnetIds = [.. DatabaseSubnets.Select(s => (Input<string>)s.Id)],
        });
    }

    public Vpc Vpc { get; }

    public IReadOnlyList<Subnet> PublicSubnets { get; }

    public IReadOnlyList<Subnet> PrivateSubnets { get; }

    public IReadOnlyList<Subnet> DatabaseSubnets { get; }

    public IReadOnlyList<NatGateway> NatGateways { get; }

    /// <summary>One per AZ with NAT per AZ, otherwise one shared by all private subnets.</summary>
    public IReadOnlyList<RouteTable> PrivateRouteTables { get; }

    /// <summary>The database subnets' route table (local routes only, plus what a migration adds toward its source).</summary>
    public RouteTable DatabaseRouteTable { get; }

    public SubnetGroup DbSubnetGroup { get; }

    /// <summary>The stack's network, with its ids as stack outputs.</summary>
    public static Network Create(StackContext stack, StackSettings settings, LogGroups logs)
    {
        var network = new Network(new ComponentScope(stack, ComponentNames.Network), new NetworkArgs(settings.Network ?? throw new InvalidOperationException("A bootstrap stack builds no network."), settings.Aws, logs));
        var template = stack.Template;
        template.Export(StackOutputs.VpcId, network.Vpc.Id);
        template.Export(StackOutputs.PublicSubnetIds, Ids(network.PublicSubnets));
        template.Export(StackOutputs.PrivateSubnetIds, Ids(network.PrivateSubnets));
        template.Export(StackOutputs.DatabaseSubnetIds, Ids(network.DatabaseSubnets));
        template.Export(StackOutputs.DbSubnetGroupName, network.DbSubnetGroup.Name);
        return network;
    }

    private static string Az(int index) => $"az{index + 1}";

    /// <summary>One subnet of the tier per AZ. No subnet maps public IPs on launch (EC2.15): NAT and the ALB use their own.</summary>
    private List<Subnet> Subnets(ComponentScope scope, SubnetTier tier, NetworkSettings layout, Output<string[]> azs)
    {
        var name = tier.ToString().ToLowerInvariant();
        return Enumerable.Range(0, layout.AzCount).Select(az => scope.Add($"{name}-{Az(az)}", new SubnetArgs
        {
            VpcId = Vpc.Id,
            CidrBlock = layout.SubnetCidr(tier, az).ToString(),
            AvailabilityZone = azs.Item<string>(az),
            MapPublicIpOnLaunch = false,
            Tags = new() { ["Tier"] = name },
        })).ToList();
    }

    private static void Associate(ComponentScope scope, IReadOnlyList<Subnet> subnets, Func<int, RouteTable> table)
    {
        for (var az = 0; az < subnets.Count; az++)
            scope.Add($"{subnets[az].LogicalName[(scope.Component.Length + 1)..]}-rt", new RouteTableAssociationArgs { SubnetId = subnets[az].Id, RouteTableId = table(az).Id });
    }

    private List<NatGateway> NatGatewaysFor(ComponentScope scope, NetworkSettings layout, InternetGateway igw)
    {
        var count = layout.Nat switch { NatStrategy.None => 0, NatStrategy.Single => 1, _ => layout.AzCount };
        return Enumerable.Range(0, count).Select(az =>
        {
            var eip = scope.Add($"nat-eip-{Az(az)}", new EipArgs { Domain = "vpc" });
            return scope.Add($"nat-{Az(az)}", new NatGatewayArgs
            {
                AllocationId = eip.AllocationId,
                SubnetId = PublicSubnets[az].Id,
                ConnectivityType = "public",
            }, new ResourceOptions { DependsOn = [igw] });
        }).ToList();
    }

    private List<RouteTable> PrivateRoutes(ComponentScope scope, NetworkSettings layout)
    {
        if (layout.Nat != NatStrategy.OnePerAz)
        {
            var shared = scope.Add("private-rt", new RouteTableArgs { VpcId = Vpc.Id, Tags = new() { ["Tier"] = "private" } });
            if (layout.Nat == NatStrategy.Single)
                scope.Add("private-default-route", new RouteArgs { RouteTableId = shared.Id, DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = NatGateways[0].Id });
            return [shared];
        }
        return Enumerable.Range(0, layout.AzCount).Select(az =>
        {
            var table = scope.Add($"private-rt-{Az(az)}", new RouteTableArgs { VpcId = Vpc.Id, Tags = new() { ["Tier"] = "private" } });
            scope.Add($"private-default-route-{Az(az)}", new RouteArgs { RouteTableId = table.Id, DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = NatGateways[az].Id });
            return table;
        }).ToList();
    }

    /// <summary>Flow logs of all traffic to a log group, through a role only the VPC flow-log service of this account can assume (EC2.6).</summary>
    private void FlowLogs(ComponentScope scope, NetworkArgs args)
    {
        var aws = args.Aws;
        var logGroup = args.Logs.Add(scope, "flow-logs-group", $"/{scope.Stack.Project}/{scope.Stack.Stack}/network/flow-logs");
        var role = scope.Add("flow-logs-role", new RoleArgs
        {
            Name = scope.PhysicalName("flow-logs", ComponentScope.RoleNameLength),
            Description = "Lets VPC Flow Logs deliver this VPC's records to its log group.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("vpc-flow-logs.amazonaws.com", aws.AccountId,
                $"arn:{aws.Partition}:ec2:{aws.Region}:{aws.AccountId}:vpc-flow-log/*").ToJson(),
        });
        var policy = scope.Add("flow-logs-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = new PolicyDocument(new PolicyStatement
            {
                Actions = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                Resources = [logGroup.Arn, Output.Format($"{logGroup.Arn}:*")],
            }).ToJson(),
        });
        scope.Add("flow-log", new FlowLogArgs
        {
            VpcId = Vpc.Id,
            TrafficType = "ALL",
            LogDestinationType = "cloud-watch-logs",
            LogDestination = logGroup.Arn,
            IamRoleArn = role.Arn,
            MaxAggregationInterval = 60,
        }, new ResourceOptions { DependsOn = [policy] });  // delivery needs the role's permissions, not only the role
    }

    private static ListValue Ids(IEnumerable<Subnet> subnets) => new(subnets.Select(s => s.Id.Expression).ToArray());
}
