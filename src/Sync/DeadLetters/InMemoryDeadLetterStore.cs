using System.Runtime.CompilerServices;

namespace Concord.Sync.DeadLetters;

/// <summary>Dead letters in process memory, for tests and single-run tools.</summary>
internal sealed class InMemoryDeadLetterStore(TimeProvider time) : IDeadLetterStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeadLetter> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Claimant, DateTimeOffset Until)> _claims = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<DeadLetter>> ClaimAsync(IReadOnlyCollection<string> ids, string claimant, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(claimant);
        var now = time.GetUtcNow();
        var claimed = new List<DeadLetter>();
        lock (_gate)
        {
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                if (_entries.TryGetValue(id, out var entry) && entry.Status is DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered
                    && (!_claims.TryGetValue(id, out var claim) || claim.Until <= now || string.Equals(claim.Claimant, claimant, StringComparison.Ordinal)))
                {
                    _claims[id] = (claimant, now + duration);
                    claimed.Add(entry);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<DeadLetter>>([.. claimed.OrderBy(e => e.FirstFailedAt).ThenBy(e => e.Id, StringComparer.Ordinal)]);
    }

    public Task ReleaseAsync(IReadOnlyCollection<string> ids, string claimant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_claims.TryGetValue(id, out var claim) && string.Equals(claim.Claimant, claimant, StringComparison.Ordinal))
                {
                    _claims.Remove(id);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task SaveAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        lock (_gate)
        {
            foreach (var deadLetter in deadLetters)
            {
                _entries[deadLetter.Id] = deadLetter;
            }
        }

        return Task.CompletedTask;
    }

    public Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyDictionary<string, DeadLetter>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, DeadLetter>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var entry))
                {
                    found[id] = entry;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, DeadLetter>>(found);
    }

    public async IAsyncEnumerable<DeadLetter> ListAsync(DeadLetterQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<DeadLetter> snapshot;
        lock (_gate)
        {
            snapshot = [.. _entries.Values
                .Where(e => (query.Flow is null || e.Flow == query.Flow) && (query.Status is null || e.Status == query.Status))
                .OrderBy(e => e.FirstFailedAt)
                .ThenBy(e => e.Id, StringComparer.Ordinal)
                .Take(query.Limit ?? int.MaxValue)];
        }

        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task ResolveAsync(IReadOnlyList<DeadLetterResolution> resolutions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        lock (_gate)
        {
            foreach (var resolution in resolutions)
            {
                if (_entries.TryGetValue(resolution.Id, out var entry) && entry.Status is DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered)
                {
                    _entries[resolution.Id] = entry with { Status = resolution.Status, ResolvedAt = resolution.At };
                }
            }
        }

        return Task.CompletedTask;
    }
}
