namespace Concord.Connectors.Odoo.Internal;

/// <summary>
/// In-process single-flight per key: two upserts of the same customer through one connector instance run one after
/// the other, so the second sees the first one's partner. (Across processes, <c>load</c> by external id is what
/// prevents twins.) Keys are taken in ordinal order, so batches that share keys cannot deadlock.
/// </summary>
internal sealed class KeyedLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IDisposable> AcquireAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var ordered = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var held = new List<(string Key, Entry Entry)>(ordered.Length);
        try
        {
            foreach (var key in ordered)
            {
                Entry entry;
                lock (_gate)
                {
                    if (!_entries.TryGetValue(key, out entry!))
                    {
                        entry = new Entry();
                        _entries[key] = entry;
                    }

                    entry.References++;
                }

                try
                {
                    await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    Release(key, entry, acquired: false);
                    throw;
                }

                held.Add((key, entry));
            }
        }
        catch
        {
            foreach (var (key, entry) in held)
            {
                Release(key, entry, acquired: true);
            }

            throw;
        }

        return new Releaser(this, held);
    }

    private void Release(string key, Entry entry, bool acquired)
    {
        if (acquired)
        {
            entry.Semaphore.Release();
        }

        lock (_gate)
        {
            if (--entry.References == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }

    private sealed class Releaser(KeyedLocks owner, List<(string Key, Entry Entry)> held) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                for (var i = held.Count - 1; i >= 0; i--)
                {
                    owner.Release(held[i].Key, held[i].Entry, acquired: true);
                }
            }
        }
    }
}
