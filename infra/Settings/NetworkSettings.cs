namespace Platform.Infra.Settings;

public enum NatStrategy
{
    /// <summary>No NAT gateway: private subnets reach AWS only through VPC endpoints.</summary>
    None,

    /// <summary>One NAT gateway for all AZs: cheap, but a single point of failure for egress.</summary>
    Single,

    /// <summary>One NAT gateway per AZ: egress survives the loss of an AZ.</summary>
    OnePerAz,
}

public enum SubnetTier
{
    Public,
    Private,
    Database,
}

/// <summary>The VPC of a stack: address range, AZ count, NAT strategy, and the subnet layout derived from them.</summary>
public sealed record NetworkSettings(Cidr VpcCidr, int AzCount, NatStrategy Nat, IReadOnlyDictionary<SubnetTier, IReadOnlyList<Cidr>>? ExplicitSubnets)
{
    public const int MaxAzCount = 3;

    /// <summary>
    /// The subnet of a tier in an AZ. Unless set explicitly, the VPC is cut into four equal AZ blocks (the fourth is
    /// spare), so adding an AZ never moves an existing subnet; each block holds private (1/2), public (1/4) and
    /// database (1/4) subnets. A /16 gives /19 private, /20 public and /20 database subnets.
    /// </summary>
    public Cidr SubnetCidr(SubnetTier tier, int az)
    {
        if (ExplicitSubnets is not null) return ExplicitSubnets[tier][az];
        var block = VpcCidr.Subnet(VpcCidr.Prefix + 2, az);
        return tier switch
        {
            SubnetTier.Private => block.Subnet(block.Prefix + 1, 0),
            SubnetTier.Public => block.Subnet(block.Prefix + 2, 2),
            SubnetTier.Database => block.Subnet(block.Prefix + 2, 3),
            _ => throw new ArgumentOutOfRangeException(nameof(tier)),
        };
    }

    public static readonly IReadOnlyList<string> NatChoices = ["none", "single", "onePerAz"];

    internal static NetworkSettings? Read(ConfigReader reader)
    {
        const string fix = "add platform:network: {cidr: 10.10.0.0/16, azCount: 3, natStrategy: onePerAz} to Pulumi.{stack}.yaml";
        var o = new ObjectReader(reader, "platform:network", reader.Json("platform:network", required: true, fix));
        if (!o.Present)
        {
            return null;
        }

        var cidrText = o.String("cidr", null, "10.10.0.0/16");
        Cidr? vpc = null;
        if (cidrText is not null)
        {
            if (!Cidr.TryParse(cidrText, out var parsed, out var error))
                reader.Add(o.Path("cidr"), error, ConfigFix.Set(o.Path("cidr"), Cidr.CanonicalOf(cidrText)?.ToString() ?? "10.10.0.0/16"));
            else if (parsed.Prefix is < 16 or > 24)
                reader.Add(o.Path("cidr"), parsed.Prefix < 16
                        ? $"/{parsed.Prefix} is larger than AWS allows for a VPC (/16 at most)."
                        : $"/{parsed.Prefix} is too small: 3 tiers in up to 4 AZ blocks need a /24 or larger (subnets of /28 at least).",
                    $"{ConfigFix.Set(o.Path("cidr"), new Cidr(parsed.Network, 16).ToString())} (any /16 to /24 in a private range)");
            else if (!Cidr.PrivateRanges.Any(r => r.Contains(parsed)))
                reader.Add(o.Path("cidr"), $"{parsed} is not inside a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
                    ConfigFix.Set(o.Path("cidr"), "10.10.0.0/16"));
            else vpc = parsed;
        }

        var azCount = o.Int("azCount", null, 2, MaxAzCount, "availability zones the VPC spans; an ALB and Multi-AZ RDS need at least 2");
        var nat = o.Choice("natStrategy", null, NatChoices) switch
        {
            "none" => NatStrategy.None,
            "single" => NatStrategy.Single,
            "onePerAz" => NatStrategy.OnePerAz,
            _ => (NatStrategy?)null,
        };

        var subnets = ReadExplicitSubnets(reader, o.Object("subnets"), vpc, azCount);
        o.RejectUnknown();
        return vpc is { } v && azCount is { } n && nat is { } s ? new NetworkSettings(v, n, s, subnets) : null;
    }

    /// <summary>
    /// An optional explicit layout (an existing address plan): per tier, one CIDR per AZ, each inside the VPC,
    /// /16 to /28, none overlapping another.
    /// </summary>
    private static IReadOnlyDictionary<SubnetTier, IReadOnlyList<Cidr>>? ReadExplicitSubnets(ConfigReader reader, ObjectReader o, Cidr? vpc, int? azCount)
    {
        if (!o.Present) return null;
        var layout = new Dictionary<SubnetTier, IReadOnlyList<Cidr>>();
        var all = new List<(string Key, Cidr Cidr)>();
        var valid = true;
        foreach (var tier in Enum.GetValues<SubnetTier>())
        {
            var field = tier.ToString().ToLowerInvariant();
            var key = o.Path(field);
            var texts = o.Strings(field, "[10.10.0.0/20, 10.10.16.0/20]");
            if (texts is null)
            {
                reader.Add(key, "is required when subnets are given explicitly: one CIDR per AZ.", $"add {key} to Pulumi.{{stack}}.yaml, or remove {o.Key} to use the computed layout");
                valid = false;
                continue;
            }
            if (azCount is { } n && texts.Count != n)
            {
                reader.Add(key, $"lists {texts.Count} CIDRs but the VPC spans {n} AZs: give exactly one per AZ.", $"list {n} CIDRs in {key}");
                valid = false;
            }
            var cidrs = new List<Cidr>();
            for (var i = 0; i < texts.Count; i++)
            {
                var itemKey = $"{key}[{i}]";
                if (!Cidr.TryParse(texts[i], out var c, out var error))
                {
                    reader.Add(itemKey, error, Cidr.CanonicalOf(texts[i]) is { } canonical ? $"write {canonical} in {itemKey}" : $"correct {itemKey} in Pulumi.{{stack}}.yaml");
                    valid = false;
                    continue;
                }
                if (c.Prefix is < 16 or > 28)
                {
                    reader.Add(itemKey, $"/{c.Prefix} is outside the subnet sizes AWS allows (/16 to /28).", $"correct {itemKey} in Pulumi.{{stack}}.yaml");
                    valid = false;
                }
                if (vpc is { } v && !v.Contains(c))
                {
                    reader.Add(itemKey, $"{c} is not inside the VPC's {v}.", $"pick a block inside {v} for {itemKey}");
                    valid = false;
                }
                foreach (var (otherKey, other) in all.Where(a => a.Cidr.Overlaps(c)))
                {
                    reader.Add(itemKey, $"{c} overlaps {otherKey} ({other}).", "give every subnet its own block");
                    valid = false;
                }
                all.Add((itemKey, c));
                cidrs.Add(c);
            }
            layout[tier] = cidrs;
        }
        o.RejectUnknown();
        return valid ? layout : null;
    }
}
