using System.Runtime.CompilerServices;

namespace Concord.Sync.Audit;

/// <summary>The audit log in process memory, for tests and single-run tools.</summary>
internal sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _gate = new();
    private readonly List<AuditEntry> _entries = [];

    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            _entries.AddRange(entries);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<AuditEntry> snapshot;
        lock (_gate)
        {
            snapshot = [.. _entries
                .Where(e => (query.Flow is null || e.Flow == query.Flow)
                    && (query.CanonicalId is null || e.CanonicalId == query.CanonicalId)
                    && (query.CorrelationId is null || e.CorrelationId == query.CorrelationId)
                    && (query.Since is null || e.At >= query.Since))
                .Take(query.Limit ?? int.MaxValue)];
        }

        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
