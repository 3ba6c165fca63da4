using System.Net;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>The source addresses a sender may call from: single addresses and CIDR ranges; empty allows any.</summary>
internal sealed class AddressAllowList
{
    private readonly IPNetwork[] _networks;

    public AddressAllowList(IEnumerable<string> entries) =>
        _networks = [.. entries.Select(e => TryParse(e, out var network) ? network : throw new FormatException($"'{e}' is not an address or a CIDR range."))];

    public bool IsEmpty => _networks.Length == 0;

    public bool Allows(IPAddress? address)
    {
        if (_networks.Length == 0)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(address));
    }

    public static bool TryParse(string entry, out IPNetwork network)
    {
        entry = entry.Trim();
        if (IPAddress.TryParse(entry, out var single) && !entry.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }
}
