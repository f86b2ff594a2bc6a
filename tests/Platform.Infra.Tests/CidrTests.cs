using Platform.Infra.Settings;

namespace Platform.Infra.Tests;

public class CidrTests
{
    private static NetworkSettings Layout(string cidr, int azs) =>
        new(Cidr.TryParse(cidr, out var c, out _) ? c : throw new ArgumentException(cidr), azs, NatStrategy.Single, null);

    [Theory]
    [InlineData("10.10.0.0/16")]
    [InlineData("192.168.4.0/22")]
    [InlineData("172.16.0.0/24")]
    public void Computed_subnets_are_inside_the_vpc_and_never_overlap(string cidr)
    {
        var layout = Layout(cidr, 3);
        var subnets = Enum.GetValues<SubnetTier>().SelectMany(t => Enumerable.Range(0, 3).Select(az => layout.SubnetCidr(t, az))).ToList();
        Assert.All(subnets, s => Assert.True(layout.VpcCidr.Contains(s), $"{s} outside {cidr}"));
        Assert.All(subnets, s => Assert.InRange(s.Prefix, 16, 28));
        for (var i = 0; i < subnets.Count; i++)
            for (var j = i + 1; j < subnets.Count; j++)
                Assert.False(subnets[i].Overlaps(subnets[j]), $"{subnets[i]} overlaps {subnets[j]}");
    }

    [Fact]
    public void Adding_an_az_keeps_every_existing_subnet_where_it_was()
    {
        var two = Layout("10.10.0.0/16", 2);
        var three = Layout("10.10.0.0/16", 3);
        foreach (var tier in Enum.GetValues<SubnetTier>())
            for (var az = 0; az < 2; az++)
                Assert.Equal(two.SubnetCidr(tier, az), three.SubnetCidr(tier, az));
    }

    [Fact]
    public void A_slash_16_gives_slash_19_private_and_slash_20_public_and_database_subnets()
    {
        var layout = Layout("10.30.0.0/16", 3);
        Assert.Equal("10.30.64.0/19", layout.SubnetCidr(SubnetTier.Private, 1).ToString());
        Assert.Equal("10.30.96.0/20", layout.SubnetCidr(SubnetTier.Public, 1).ToString());
        Assert.Equal("10.30.176.0/20", layout.SubnetCidr(SubnetTier.Database, 2).ToString());
    }

    [Theory]
    [InlineData("10.010.0.0/16")]    // octal to an IP parser: 10.8.0.0
    [InlineData("0x0a.10.0.0/16")]   // hexadecimal
    [InlineData("167772160/16")]     // one 32-bit number
    [InlineData("10.10.0/16")]       // three parts
    [InlineData("10.10.0.0/016")]    // zero-padded prefix
    [InlineData("10.10.0.0/33")]
    [InlineData("10.10.0.256/16")]
    [InlineData("１0.10.0.0/16")]      // a full-width digit
    [InlineData("10.١0.0.0/16")]      // an Arabic-Indic digit
    [InlineData(" 10.10.0.0/16")]
    [InlineData("10.10.0.0/+16")]
    public void Only_dotted_decimal_cidrs_parse(string text)
    {
        Assert.False(Cidr.TryParse(text, out _, out var error));
        Assert.Contains("dotted-decimal", error);
        Assert.Null(Cidr.CanonicalOf(text));
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.255.0/24")]
    [InlineData("172.31.0.0/16")]
    public void Dotted_decimal_cidrs_round_trip(string text)
    {
        Assert.True(Cidr.TryParse(text, out var cidr, out var error), error);
        Assert.Equal(text, cidr.ToString());
    }
}
