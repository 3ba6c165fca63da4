using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Concord.Sync.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Engine;

/// <summary>
/// Keeps a feed lease alive while its holder reads the feed: every third of the lease duration it renews it. A renewal
/// that finds the lease taken over marks it <see cref="Lost"/>, and the reader stops after the page it is writing (whose
/// commit the fencing token refuses anyway). A renewal the store cannot answer is tried again at the next tick.
/// </summary>
internal sealed class FeedLeaseKeeper : IDisposable
{
    private readonly IFeedLeaseStore _store;
    private readonly TimeSpan _duration;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private FeedLease _lease;
    private int _renewing;
    private volatile bool _lost;
    private volatile bool _disposed;

    public FeedLeaseKeeper(IFeedLeaseStore store, FeedLease lease, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _store = store;
        _lease = lease;
        _duration = duration;
        _logger = logger;
        var period = duration / 3;
        _timer = time.CreateTimer(static state => ((FeedLeaseKeeper)state!).Tick(), this, period, period);
    }

    /// <summary>The lease as last renewed.</summary>
    public FeedLease Lease => Volatile.Read(ref _lease);

    /// <summary>Whether a renewal found the lease taken over.</summary>
    public bool Lost => _lost;

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void Tick()
    {
        if (_disposed || _lost || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }

        _ = RenewAsync();
    }

    private async Task RenewAsync()
    {
        var lease = Lease;
        try
        {
            var renewed = await _store.RenewAsync(lease, _duration, CancellationToken.None).ConfigureAwait(false);
            if (renewed is null)
            {
                _lost = true;
            }
            else
            {
                Volatile.Write(ref _lease, renewed);
            }
        }
        catch (ConcordException exception)
        {
            Log.FeedLeaseRenewalFailed(_logger, lease.Flow, lease.Source, exception.Category, PersonalDataMasker.Mask(exception.Message));
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping: the lease expires unless the next instance to start is this one.
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }
}
