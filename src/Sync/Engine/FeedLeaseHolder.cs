using System.Globalization;

namespace Concord.Sync.Engine;

/// <summary>Names this host instance as a feed lease holder: host name, process id and a random part (two hosts started in one process differ).</summary>
internal static class FeedLeaseHolder
{
    public static string ForThisProcess() =>
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");
}
