namespace Concord.Sync.Audit;

/// <summary>An append-only log of what flows did, per change and target. Implementations are safe for concurrent callers.</summary>
public interface IAuditLog
{
    /// <summary>Appends entries.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads entries matching <paramref name="query"/>, in the order they were appended.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
