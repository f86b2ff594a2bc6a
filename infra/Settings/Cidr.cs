using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Platform.Infra.Settings;

/// <summary>An IPv4 network in CIDR notation, always canonical (no host bits set).</summary>
public readonly record struct Cidr(uint Network, int Prefix)
{
    public ulong Size => 1UL << (32 - Prefix);

    public uint Last => (uint)(Network + Size - 1);

    public bool Contains(Cidr other) => other.Prefix >= Prefix && other.Network >= Network && other.Last <= Last;

    public bool Overlaps(Cidr other) => Network <= other.Last && other.Network <= Last;

    /// <summary>The <paramref name="index"/>-th block of size /<paramref name="prefix"/> inside this network.</summary>
    public Cidr Subnet(int prefix, int index)
    {
        if (prefix < Prefix || prefix > 32) throw new ArgumentOutOfRangeException(nameof(prefix));
        var step = 1UL << (32 - prefix);
        var network = Network + (ulong)index * step;
        if (network + step - 1 > Last) throw new ArgumentOutOfRangeException(nameof(index));
        return new Cidr((uint)network, prefix);
    }

    public override string ToString() =>
        $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{Prefix.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses "a.b.c.d/n" in dotted-decimal only: four ASCII numbers 0-255 without leading zeros and a prefix 0-32.
    /// The looser forms an IP parser takes (10.010.0.0 as octal, 0x0a.0.0.0, 167772160) would silently name another
    /// network. A network with host bits set is refused with its canonical form as the hint.
    /// </summary>
    public static bool TryParse(string text, out Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = default;
        if (!TryParseParts(text, out var value, out var prefix))
        {
            error = $"'{text}' is not an IPv4 CIDR block in dotted-decimal notation like 10.0.0.0/16 (four numbers 0-255 without leading zeros, then /0 to /32).";
            return false;
        }
        var mask = Mask(prefix);
        if ((value & ~mask) != 0)
        {
            error = $"'{text}' has host bits set; the network is {new Cidr(value & mask, prefix)}.";
            return false;
        }
        cidr = new Cidr(value, prefix);
        error = null;
        return true;
    }

    /// <summary>For a CIDR with host bits set, the network it belongs to (the likely intent); otherwise null.</summary>
    public static Cidr? CanonicalOf(string text) =>
        TryParseParts(text, out var value, out var prefix) ? new Cidr(value & Mask(prefix), prefix) : null;

    private static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);

    private static bool TryParseParts(string text, out uint value, out int prefix)
    {
        value = 0;
        prefix = 0;
        var slash = text.IndexOf('/');
        if (slash < 0 || !TryDecimal(text.AsSpan(slash + 1), 32, out prefix)) return false;
        var octets = text[..slash].Split('.');
        if (octets.Length != 4) return false;
        foreach (var octet in octets)
        {
            if (!TryDecimal(octet, 255, out var n)) return false;
            value = (value << 8) | (uint)n;
        }
        return true;
    }

    /// <summary>1-3 ASCII digits, no leading zero (but "0" itself), at most <paramref name="max"/>.</summary>
    private static bool TryDecimal(ReadOnlySpan<char> text, int max, out int n)
    {
        n = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0')) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
            n = n * 10 + (c - '0');
        }
        return n <= max;
    }

    public static readonly Cidr[] PrivateRanges =
    [
        new(10u << 24, 8),
        new((172u << 24) | (16u << 16), 12),
        new((192u << 24) | (168u << 16), 16),
    ];

    /// <summary>
    /// IPv4 ranges that are never a host's address on the internet (IANA IPv4 Special-Purpose Address Registry):
    /// "this network", the private ranges (RFC 1918), shared address space for carrier-grade NAT (RFC 6598), loopback,
    /// link-local, multicast and the reserved 240/4 (with the broadcast address).
    /// </summary>
    public static readonly IReadOnlyList<(Cidr Range, string Name)> NotPublic =
    [
        (new(0u, 8), "'this network' (0.0.0.0/8)"),
        (PrivateRanges[0], "private (RFC 1918, 10.0.0.0/8)"),
        (new((100u << 24) | (64u << 16), 10), "carrier-grade NAT shared space (RFC 6598, 100.64.0.0/10)"),
        (new(127u << 24, 8), "loopback (127.0.0.0/8)"),
        (new((169u << 24) | (254u << 16), 16), "link-local (169.254.0.0/16)"),
        (PrivateRanges[1], "private (RFC 1918, 172.16.0.0/12)"),
        (PrivateRanges[2], "private (RFC 1918, 192.168.0.0/16)"),
        (new(224u << 24, 4), "multicast (224.0.0.0/4)"),
        (new(240u << 24, 4), "reserved (240.0.0.0/4)"),
    ];
}
