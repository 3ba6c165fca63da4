using System.Collections.Concurrent;

namespace Concord.Canonical.Connectors;

/// <summary>
/// Keeps what a connector must remember across restarts about records it has read when the vendor cannot say it again.
/// Zendesk: the organization each user was read in (a user's record names only its organization now, so the one it left
/// is known only from an earlier read; without it, a user moved while the host was down stays a contact of the old
/// customer). Entries are short texts under keys the connector chooses, kept per connector. Register a durable
/// implementation (a database table keyed by connector name and key) as a singleton; without one, connectors use
/// <see cref="InMemoryConnectorStateStore"/>, which lasts as long as the process. Implementations are thread-safe.
/// </summary>
public interface IConnectorStateStore
{
    /// <summary>The entries saved for <paramref name="connectorName"/> under <paramref name="keys"/>; a key never saved is absent.</summary>
    /// <param name="connectorName">The connector's registration name (unique across connectors).</param>
    /// <param name="keys">The keys to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries found, by key.</returns>
    ValueTask<IReadOnlyDictionary<string, string>> GetAsync(string connectorName, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Saves <paramref name="entries"/> for <paramref name="connectorName"/>, each replacing the entry under its key.</summary>
    /// <param name="connectorName">The connector's registration name.</param>
    /// <param name="entries">The entries, by key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the entries are durable.</returns>
    ValueTask SaveAsync(string connectorName, IReadOnlyDictionary<string, string> entries, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IConnectorStateStore"/>: entries kept in memory for the life of the process.</summary>
public sealed class InMemoryConnectorStateStore : IConnectorStateStore
{
    private readonly ConcurrentDictionary<(string Connector, string Key), string> _entries = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, string>> GetAsync(string connectorName, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (_entries.TryGetValue((connectorName, key), out var value))
            {
                found[key] = value;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(found);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string connectorName, IReadOnlyDictionary<string, string> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            _entries[(connectorName, key)] = value;
        }

        return ValueTask.CompletedTask;
    }
}
