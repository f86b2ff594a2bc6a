using Platform.Infra.Aws;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>The other side of a security group rule: an IPv4 range or another security group (by reference).</summary>
public sealed record SecurityGroupPeer(string? Cidr, Output<string>? Group)
{
    /// <summary>Anywhere on IPv4 (the internet, or AWS APIs through NAT).</summary>
    public static readonly SecurityGroupPeer Anywhere = new("0.0.0.0/0", null);

    public static SecurityGroupPeer Of(Output<string> securityGroupId) => new(null, securityGroupId);
}

/// <summary>
/// The one way components open a port: one TCP port per rule, each rule its own resource naming its peer (the VPC
/// rule resources, never inline <c>ingress</c>/<c>egress</c> blocks, which would fight them; EC2.18/19 stay checkable).
/// </summary>
public static class SecurityGroupRules
{
    public static SecurityGroupIngressRule AllowIn(ComponentScope scope, string role, Output<string> group, SecurityGroupPeer from, int port, string description) =>
        scope.Add(role, new SecurityGroupIngressRuleArgs
        {
            SecurityGroupId = group,
            CidrIpv4 = from.Cidr is { } cidr ? (Input<string>)cidr : null,
            ReferencedSecurityGroupId = from.Group is { } peer ? (Input<string>)peer : null,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            Description = description,
        });

    public static SecurityGroupEgressRule AllowOut(ComponentScope scope, string role, Output<string> group, SecurityGroupPeer to, int port, string description) =>
        scope.Add(role, new SecurityGroupEgressRuleArgs
        {
            SecurityGroupId = group,
            CidrIpv4 = to.Cidr is { } cidr ? (Input<string>)cidr : null,
            ReferencedSecurityGroupId = to.Group is { } peer ? (Input<string>)peer : null,
            IpProtocol = "tcp",
            FromPort = port,
            ToPort = port,
            Description = description,
        });
}
