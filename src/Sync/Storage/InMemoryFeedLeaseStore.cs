namespace Concord.Sync.Storage;

/// <summary>Feed leases in process memory, for tests and single-instance hosts.</summary>
internal sealed class InMemoryFeedLeaseStore(TimeProvider time) : IFeedLeaseStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Flow, string Source), FeedLease> _leases = [];

    public Task<FeedLease?> TryAcquireAsync(string flow, string source, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var current = _leases.GetValueOrDefault((flow, source));
            if (FeedLease.Grant(current, flow, source, holder, now, duration) is not { } lease)
            {
                return Task.FromResult<FeedLease?>(null);
            }

            _leases[(flow, source)] = lease;
            return Task.FromResult<FeedLease?>(lease);
        }
    }

    public Task<FeedLease?> RenewAsync(FeedLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!IsCurrent(lease))
            {
                return Task.FromResult<FeedLease?>(null);
            }

            var renewed = lease with { ExpiresAt = now + duration };
            _leases[(lease.Flow, lease.Source)] = renewed;
            return Task.FromResult<FeedLease?>(renewed);
        }
    }

    public Task ReleaseAsync(FeedLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (IsCurrent(lease))
            {
                _leases[(lease.Flow, lease.Source)] = lease with { ExpiresAt = now };
            }
        }

        return Task.CompletedTask;
    }

    public Task<FeedLease?> GetAsync(string flow, string source, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_leases.GetValueOrDefault((flow, source)));
        }
    }

    private bool IsCurrent(FeedLease lease) =>
        _leases.TryGetValue((lease.Flow, lease.Source), out var current)
        && current.Token == lease.Token
        && string.Equals(current.Holder, lease.Holder, StringComparison.Ordinal);
}
