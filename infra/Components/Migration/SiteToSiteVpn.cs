using Platform.Infra.Aws;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// A Site-to-Site VPN from the stack's VPC to the source network (AWS Site-to-Site VPN user guide, "How AWS
/// Site-to-Site VPN works"): a customer gateway for the source's device, a virtual private gateway attached to the VPC,
/// and one VPN connection with its two tunnels (in two AWS endpoints, so maintenance on one keeps the other up). With
/// static routing the connection routes the source CIDR itself; with BGP the device advertises it. Either way the
/// private and database route tables send the source CIDR to the gateway, by explicit routes (reviewable in the
/// template, unlike propagated ones).
/// <para>
/// The tunnels accept IKEv2 only and the strong suites of <see cref="TunnelPolicy"/>. The pre-shared keys are kept in
/// Secrets Manager (<c>presharedKeyStorage: SecretsManager</c>): the template neither sets nor exports them; the stack
/// exports the secret's ARN, and the network team reads the keys from there to configure the device.
/// </para>
/// </summary>
public sealed class SiteToSiteVpn
{
    /// <summary>The IPsec suites both tunnels accept (the device must offer one of each).</summary>
    public static class TunnelPolicy
    {
        public static readonly IReadOnlyList<string> IkeVersions = ["ikev2"];
        public static readonly IReadOnlyList<string> EncryptionAlgorithms = ["AES256", "AES256-GCM-16"];
        public static readonly IReadOnlyList<string> IntegrityAlgorithms = ["SHA2-256", "SHA2-384", "SHA2-512"];

        /// <summary>Diffie-Hellman groups 19-21 (elliptic curve) for both phases; groups 2 and 5 are too weak.</summary>
        public static readonly IReadOnlyList<double> DhGroups = [19, 20, 21];
    }

    public SiteToSiteVpn(ComponentScope scope, MigrationSettings settings, MigrationVpn vpn, Network network)
    {
        var source = settings.Source.Cidr.ToString();
        CustomerGateway = scope.Add("customer-gateway", new CustomerGatewayArgs
        {
            Type = "ipsec.1",
            IpAddress = vpn.CustomerGatewayIp,
            BgpAsn = (vpn.BgpAsn ?? MigrationVpn.StaticRoutingAsn).ToString(System.Globalization.CultureInfo.InvariantCulture),
            DeviceName = $"{scope.Stack.Project}-{scope.Stack.Stack} migration source",
        });
        Gateway = scope.Add("vpn-gateway", new VpnGatewayArgs { VpcId = network.Vpc.Id });

        var staticRouting = vpn.BgpAsn is null;
        Connection = scope.Add("vpn", new VpnConnectionArgs
        {
            Type = "ipsec.1",
            CustomerGatewayId = CustomerGateway.Id,
            VpnGatewayId = Gateway.Id,
            StaticRoutesOnly = staticRouting,
            PresharedKeyStorage = "SecretsManager",
            Tunnel1IkeVersions = [.. TunnelPolicy.IkeVersions],
            Tunnel2IkeVersions = [.. TunnelPolicy.IkeVersions],
            Tunnel1Phase1EncryptionAlgorithms = [.. TunnelPolicy.EncryptionAlgorithms],
            Tunnel2Phase1EncryptionAlgorithms = [.. TunnelPolicy.EncryptionAlgorithms],
            Tunnel1Phase2EncryptionAlgorithms = [.. TunnelPolicy.EncryptionAlgorithms],
            Tunnel2Phase2EncryptionAlgorithms = [.. TunnelPolicy.EncryptionAlgorithms],
            Tunnel1Phase1IntegrityAlgorithms = [.. TunnelPolicy.IntegrityAlgorithms],
            Tunnel2Phase1IntegrityAlgorithms = [.. TunnelPolicy.IntegrityAlgorithms],
            Tunnel1Phase2IntegrityAlgorithms = [.. TunnelPolicy.IntegrityAlgorithms],
            Tunnel2Phase2IntegrityAlgorithms = [.. TunnelPolicy.IntegrityAlgorithms],
            Tunnel1Phase1DhGroupNumbers = [.. TunnelPolicy.DhGroups],
            Tunnel2Phase1DhGroupNumbers = [.. TunnelPolicy.DhGroups],
            Tunnel1Phase2DhGroupNumbers = [.. TunnelPolicy.DhGroups],
            Tunnel2Phase2DhGroupNumbers = [.. TunnelPolicy.DhGroups],
        });
        if (staticRouting)
            scope.Add("vpn-route", new VpnConnectionRouteArgs { VpnConnectionId = Connection.Id, DestinationCidrBlock = source });

        // The routes name the gateway, which is attached to the VPC when created with its vpcId; AWS refuses a route
        // to a gateway not yet attached, and the reference orders them.
        var tables = network.PrivateRouteTables.Select((t, i) => (Role: network.PrivateRouteTables.Count == 1 ? "private" : $"private-az{i + 1}", Table: t))
            .Append((Role: "database", Table: network.DatabaseRouteTable));
        Routes = [.. tables.Select(t => scope.Add($"route-{t.Role}", new RouteArgs
        {
            RouteTableId = t.Table.Id,
            DestinationCidrBlock = source,
            GatewayId = Gateway.Id,
        }))];
    }

    public CustomerGateway CustomerGateway { get; }

    public VpnGateway Gateway { get; }

    public VpnConnection Connection { get; }

    /// <summary>The routes to the source CIDR through the gateway, one per private and database route table.</summary>
    public IReadOnlyList<Route> Routes { get; }
}
