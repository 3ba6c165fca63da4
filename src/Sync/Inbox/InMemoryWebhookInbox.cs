namespace Concord.Sync.Inbox;

/// <summary>The inbox in process memory: for tests and for hosts that accept losing pending hints on a restart (polling catches up).</summary>
internal sealed class InMemoryWebhookInbox : IWebhookInbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Sender, string Key), WebhookInboxEntry> _entries = [];
    private readonly Dictionary<string, List<WebhookInboxEntry>> _pending = new(StringComparer.Ordinal);

    public ValueTask<int> AddAsync(IReadOnlyList<WebhookInboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var added = 0;
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                if (_entries.TryAdd((entry.Sender, entry.Key), entry))
                {
                    if (!_pending.TryGetValue(entry.Sender, out var pending))
                    {
                        _pending[entry.Sender] = pending = [];
                    }

                    pending.Add(entry);
                    added++;
                }
            }
        }

        return ValueTask.FromResult(added);
    }

    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ReadPendingAsync(string sender, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_gate)
        {
            IReadOnlyList<WebhookInboxEntry> result = _pending.TryGetValue(sender, out var pending) ? [.. pending.Take(max)] : [];
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask CompleteAsync(string sender, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var done = keys.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            if (_pending.TryGetValue(sender, out var pending))
            {
                pending.RemoveAll(e => done.Contains(e.Key));
            }
        }

        return ValueTask.CompletedTask;
    }
}
