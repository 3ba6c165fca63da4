using System.Collections.Immutable;

namespace Concord.Testing;

/// <summary>
/// Every request a simulator received, in order of arrival, for assertions; an entry appears once its answer is decided, before the client sees it. Thread-safe. Credentials are never
/// stored: <c>Authorization</c>, <c>Cookie</c> and API-key headers are kept as <c>***</c>.
/// </summary>
public sealed class RequestJournal
{
    private static readonly ImmutableHashSet<string> SecretHeaders = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase, "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token");

    private readonly Lock _gate = new();
    private readonly List<JournalEntry> _entries = [];
    private long _sequence;

    /// <summary>The number of requests received.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A snapshot of every entry, in order of arrival.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The requests to <paramref name="path"/> (exact, ordinal), in order of arrival.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<JournalEntry> Calls(string path) => Where(e => string.Equals(e.Path, path, StringComparison.Ordinal));

    /// <summary>The <paramref name="method"/> requests to <paramref name="path"/>, in order of arrival.</summary>
    /// <param name="method">The method (<c>POST</c>), case-insensitive.</param>
    /// <param name="path">The path (exact, ordinal).</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<JournalEntry> Calls(string method, string path) =>
        Where(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Path, path, StringComparison.Ordinal));

    /// <summary>The entries <paramref name="predicate"/> selects, in order of arrival.</summary>
    /// <param name="predicate">The filter.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<JournalEntry> Where(Func<JournalEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        lock (_gate)
        {
            return [.. _entries.Where(predicate)];
        }
    }

    /// <summary>Forgets every entry (the sequence keeps counting).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal JournalEntry Record(long sequence, DateTimeOffset time, SimulatorRequest request, int statusCode, FaultKind? fault)
    {
        var headers = request.Headers.ToImmutableDictionary(
            h => h.Key,
            h => SecretHeaders.Contains(h.Key) ? "***" : h.Value,
            StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            var entry = new JournalEntry(
                sequence,
                time,
                request.Method,
                request.Path,
                request.Query.ToImmutableDictionary(StringComparer.Ordinal),
                headers,
                request.Body,
                statusCode,
                fault);
            var index = _entries.Count;
            while (index > 0 && _entries[index - 1].Sequence > sequence)
            {
                index--;
            }

            _entries.Insert(index, entry);
            return entry;
        }
    }
}
