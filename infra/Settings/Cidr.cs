using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

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

    /// <summary>Parses "a.b.c.d/n"; a network with host bits set is refused with its canonical form as the hint.</summary>
    public static bool TryParse(string text, out Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = default;
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"'{text}' is not an IPv4 CIDR block like 10.0.0.0/16.";
            return false;
        }
        var address = text[..slash];
        if (address.Count(c => c == '.') != 3 || !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            error = $"'{text}' is not an IPv4 CIDR block like 10.0.0.0/16.";
            return false;
        }
        var bytes = ip.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
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
    public static Cidr? CanonicalOf(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32) return null;
        if (!IPAddress.TryParse(text[..slash], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
        var bytes = ip.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new Cidr(value & mask, prefix);
    }

    public static readonly Cidr[] PrivateRanges =
    [
        new(10u << 24, 8),
        new((172u << 24) | (16u << 16), 12),
        new((192u << 24) | (168u << 16), 16),
    ];
}
