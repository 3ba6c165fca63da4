using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Errors;

namespace Concord.Sync.Identity;

/// <summary>The identity map in process memory, for tests and single-run tools.</summary>
internal sealed class InMemoryIdentityMap : IIdentityMap
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, IdentityLink>> _byCanonicalId = new(StringComparer.Ordinal);
    private readonly Dictionary<ExternalRef, string> _byReference = [];

    public Task<IReadOnlyDictionary<ExternalRef, string>> ResolveAsync(IReadOnlyCollection<ExternalRef> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = new Dictionary<ExternalRef, string>(references.Count);
        lock (_gate)
        {
            foreach (var reference in references)
            {
                if (_byReference.TryGetValue(reference, out var canonicalId))
                {
                    found[reference] = canonicalId;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<ExternalRef, string>>(found);
    }

    public Task<IReadOnlyDictionary<string, IdentityEntry>> GetAsync(IReadOnlyCollection<string> canonicalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canonicalIds);
        var found = new Dictionary<string, IdentityEntry>(canonicalIds.Count, StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in canonicalIds)
            {
                if (_byCanonicalId.TryGetValue(id, out var links))
                {
                    found[id] = new IdentityEntry(id, [.. links.Values]);
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IdentityEntry>>(found);
    }

    public Task LinkAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        lock (_gate)
        {
            // Check every link first so that a conflict writes nothing.
            var pending = new Dictionary<ExternalRef, string>();
            foreach (var link in links)
            {
                var reference = new ExternalRef(link.System, link.ExternalId);
                if ((_byReference.TryGetValue(reference, out var owner) || pending.TryGetValue(reference, out owner))
                    && !string.Equals(owner, link.CanonicalId, StringComparison.Ordinal))
                {
                    throw new ConcordException(ErrorCategory.Conflict, $"The {link.System} record '{link.ExternalId}' is already linked to canonical id '{owner}', not '{link.CanonicalId}'.")
                    {
                        System = link.System,
                        Operation = "identity.link",
                    };
                }

                pending[reference] = link.CanonicalId;
            }

            foreach (var link in links)
            {
                if (!_byCanonicalId.TryGetValue(link.CanonicalId, out var bySystem))
                {
                    bySystem = new SortedDictionary<string, IdentityLink>(StringComparer.Ordinal);
                    _byCanonicalId[link.CanonicalId] = bySystem;
                }

                var stored = link;
                if (bySystem.TryGetValue(link.System, out var previous))
                {
                    if (!string.Equals(previous.ExternalId, link.ExternalId, StringComparison.Ordinal))
                    {
                        _byReference.Remove(new ExternalRef(previous.System, previous.ExternalId));
                    }

                    if (link.Fingerprint is null)
                    {
                        stored = link with { Fingerprint = previous.Fingerprint };
                    }
                }

                bySystem[link.System] = stored;
                _byReference[new ExternalRef(link.System, link.ExternalId)] = link.CanonicalId;
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<IdentityEntry> ListAsync(string? system = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<IdentityEntry> snapshot;
        lock (_gate)
        {
            snapshot = [.. _byCanonicalId
                .Where(pair => system is null || pair.Value.ContainsKey(system))
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => new IdentityEntry(pair.Key, [.. pair.Value.Values]))];
        }

        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
