using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>VPC and EC2 networking controls.</summary>
public static class Ec2Rules
{
    /// <summary>An ingress permission open to the internet: the resource that declares it and its port range.</summary>
    private sealed record OpenIngress(Node Owner, int From, int To)
    {
        public bool Covers(int port) => port >= From && port <= To;

        public string Ports => From == To ? $"port {From}" : From == 0 && To == 65535 ? "all ports" : $"ports {From}-{To}";
    }

    private static bool IsWorld(string? cidr) => cidr is "0.0.0.0/0" or "::/0";

    private static (int From, int To) Range(Value? protocol, Value? from, Value? to)
    {
        var p = V.Str(protocol);
        if (p is "-1" or "all") return (0, 65535);
        return ((int)(V.Num(from) ?? 0), (int)(V.Num(to) ?? V.Num(from) ?? 65535));
    }

    /// <summary>Ingress open to 0.0.0.0/0 or ::/0: inline security-group ingress, vpc ingress rules and ec2 security group rules.</summary>
    private static IEnumerable<OpenIngress> WorldIngress(PolicyContext c)
    {
        foreach (var sg in c.OfType("aws:ec2:SecurityGroup"))
            foreach (var rule in V.Items(sg["ingress"]).OfType<MapValue>())
                if (V.Strings(rule["cidrBlocks"]).Concat(V.Strings(rule["ipv6CidrBlocks"])).Any(IsWorld))
                {
                    var (from, to) = Range(rule["protocol"], rule["fromPort"], rule["toPort"]);
                    yield return new OpenIngress(sg, from, to);
                }
        foreach (var rule in c.OfType("aws:vpc:SecurityGroupIngressRule"))
            if (IsWorld(V.Str(rule["cidrIpv4"])) || IsWorld(V.Str(rule["cidrIpv6"])))
            {
                var (from, to) = Range(rule["ipProtocol"], rule["fromPort"], rule["toPort"]);
                yield return new OpenIngress(rule, from, to);
            }
        foreach (var rule in c.OfType("aws:ec2:SecurityGroupRule"))
            if (V.Str(rule["type"]) == "ingress" && V.Strings(rule["cidrBlocks"]).Concat(V.Strings(rule["ipv6CidrBlocks"])).Any(IsWorld))
            {
                var (from, to) = Range(rule["protocol"], rule["fromPort"], rule["toPort"]);
                yield return new OpenIngress(rule, from, to);
            }
    }

    /// <summary>EC2.19's high-risk ports.</summary>
    public static readonly IReadOnlyList<int> HighRiskPorts =
        [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300];

    private static readonly int[] AuthorizedPorts = [80, 443];

    private static IEnumerable<Violation> Group(IEnumerable<OpenIngress> open, Func<OpenIngress, string> problem, string fix) =>
        open.GroupBy(o => o.Owner.Name, StringComparer.Ordinal)
            .Select(g => g.First().Owner.Violation(string.Join("; ", g.Select(problem).Distinct()), fix));

    public static IEnumerable<Rule> All =>
    [
        new("EC2.2", Severity.High, "Every VPC adopts its default security group (aws:ec2:DefaultSecurityGroup) with no ingress and no egress rules.", Rule.Mandatory, c =>
            c.OfType("aws:ec2:Vpc").Where(v => !c.Referencing("aws:ec2:DefaultSecurityGroup", "vpcId", v).Any())
                .Select(v => v.Violation("its default security group keeps AWS's allow-all rules.", "add aws:ec2:DefaultSecurityGroup {vpcId: ${<vpc>.id}} with no ingress or egress"))
                .Concat(c.OfType("aws:ec2:DefaultSecurityGroup").Where(g => V.Items(g["ingress"]).Count > 0 || V.Items(g["egress"]).Count > 0)
                    .Select(g => g.Violation("the default security group has rules.", "remove ingress and egress: use dedicated security groups")))),

        new("EC2.6", Severity.Medium, "Every VPC has an aws:ec2:FlowLog referring to it with trafficType ALL or REJECT.", Rule.Mandatory, c =>
            c.OfType("aws:ec2:Vpc").Where(v => !c.Referencing("aws:ec2:FlowLog", "vpcId", v).Any(f => V.Str(f["trafficType"]) is "ALL" or "REJECT"))
                .Select(v => v.Violation("has no flow log.", "add aws:ec2:FlowLog {vpcId: ${<vpc>.id}, trafficType: ALL, logDestinationType: cloud-watch-logs, logDestination, iamRoleArn}"))),

        new("EC2.10", Severity.Medium, "Every VPC has an interface endpoint for the EC2 service.", Rule.Advisory, c =>
            c.OfType("aws:ec2:Vpc").Where(v => !c.Referencing("aws:ec2:VpcEndpoint", "vpcId", v)
                    .Any(e => V.Str(e["vpcEndpointType"]) == "Interface" && V.Str(e["serviceName"])?.EndsWith(".ec2", StringComparison.Ordinal) == true))
                .Select(v => v.Violation("has no EC2 interface endpoint (low value for Fargate: accept or add).", "add aws:ec2:VpcEndpoint {serviceName: com.amazonaws.<region>.ec2, vpcEndpointType: Interface, privateDnsEnabled: true}"))),

        new("EC2.15", Severity.Medium, "No subnet maps public IPs on launch (mapPublicIpOnLaunch is not true).", Rule.Mandatory, c =>
            c.OfType("aws:ec2:Subnet").Where(s => V.IsTrue(s["mapPublicIpOnLaunch"]))
                .Select(s => s.Violation("gives every network interface launched in it a public IP.", "set mapPublicIpOnLaunch: false (NAT gateways use EIPs, ALBs need none)"))),

        new("EC2.16", Severity.Low, "Every network ACL is associated with subnets.", Rule.Advisory, c =>
            c.OfType("aws:ec2:NetworkAcl").Where(a => V.Items(a["subnetIds"]).Count == 0)
                .Select(a => a.Violation("is associated with no subnet.", "set subnetIds, or remove the unused network ACL"))),

        new("EC2.18", Severity.High, "Security groups allow ingress from 0.0.0.0/0 or ::/0 only on ports 80 and 443.", Rule.Mandatory, c =>
            Group(WorldIngress(c).Where(o => !(o.From == o.To && AuthorizedPorts.Contains(o.From))),
                o => $"allows ingress from the internet on {o.Ports}",
                "open only 443 (and 80 for the redirect) to the internet, on the load balancer; other groups reference security groups (referencedSecurityGroupId)")),

        new("EC2.19", Severity.Critical, "Security groups allow no ingress from 0.0.0.0/0 or ::/0 to high-risk ports (22, 3389, 3306, 5432, ...).", Rule.Mandatory, c =>
            Group(WorldIngress(c).Where(o => HighRiskPorts.Any(o.Covers)),
                o => $"exposes high-risk {string.Join(", ", HighRiskPorts.Where(o.Covers).Take(6))}{(HighRiskPorts.Count(o.Covers) > 6 ? ", ..." : "")} to the internet",
                "allow database and admin ports only from a security group (e.g. the service's), never from 0.0.0.0/0; use SSM Session Manager instead of SSH")),

        new("EC2.21", Severity.Medium, "Network ACLs allow no ingress from 0.0.0.0/0 or ::/0 to ports 22 or 3389.", Rule.Mandatory, c =>
        {
            bool Bad(Value? protocol, Value? from, Value? to, Value? action, Value? cidr, Value? ipv6)
            {
                if (V.Str(action)?.ToLowerInvariant() != "allow" || !(IsWorld(V.Str(cidr)) || IsWorld(V.Str(ipv6)))) return false;
                var (f, t) = Range(protocol, from, to);
                return (22 >= f && 22 <= t) || (3389 >= f && 3389 <= t);
            }
            var rules = c.OfType("aws:ec2:NetworkAclRule").Where(r => !V.IsTrue(r["egress"]) &&
                Bad(r["protocol"], r["fromPort"], r["toPort"], r["ruleAction"], r["cidrBlock"], r["ipv6CidrBlock"]));
            var inline = c.OfType("aws:ec2:NetworkAcl").Where(a => V.Items(a["ingress"]).OfType<MapValue>().Any(i =>
                Bad(i["protocol"], i["fromPort"], i["toPort"], i["action"], i["cidrBlock"], i["ipv6CidrBlock"])));
            return rules.Concat(inline).Select(r => r.Violation("allows SSH or RDP from the internet.", "deny 0.0.0.0/0 on 22 and 3389, or narrow the rule's CIDR"));
        }),
    ];
}
