using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// When this connector instance last read its change feed to the end from a given cursor (connector clock, at the start
/// of that read). Everything deleted before then was read, so a cursor read again soon after cannot have lost a deletion
/// to a purged Recycle Bin, however old the cursor's own position is (a quiet org keeps one cursor for days). Memory
/// only: after a restart the delete log is asked once. Bounded: past <see cref="Capacity"/> cursors it starts over.
/// </summary>
internal sealed class FeedWatermarks
{
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _readAt = new(StringComparer.Ordinal);

    public DateTimeOffset? LastReadFrom(string cursor) => _readAt.TryGetValue(Key(cursor), out var at) ? at : null;

    public void Record(string cursor, DateTimeOffset readStartedAt)
    {
        if (_readAt.Count >= Capacity)
        {
            _readAt.Clear();
        }

        _readAt.AddOrUpdate(Key(cursor), readStartedAt, (_, previous) => previous > readStartedAt ? previous : readStartedAt);
    }

    // Cursors can be kilobytes long (the window's rows): a hash keys them.
    private static string Key(string cursor) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cursor)).AsSpan(0, 16));
}
