using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Concord.Sync.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Engine;

/// <summary>
/// Keeps the write leases of one wave alive while it lasts: every third of the lease it renews them all in one ledger
/// call (<see cref="IWriteLedger.RenewAsync"/>), and <see cref="EnsureAsync"/> renews a batch's leases before its vendor
/// call when less than half their time is left. A lease is then never left to run out under a write still in flight, so
/// no other flow or process takes its link or match keys over and creates a twin; a lease found lost is marked, and the
/// engine writes nothing more under it. A wave that ends quickly makes no renewal call at all.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly IWriteLedger _ledger;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _flow;
    private readonly Lock _gate = new();
    private readonly List<HeldLease> _leases = [];
    private readonly ITimer _timer;
    private int _renewing;
    private bool _disposed;

    public LeaseKeeper(IWriteLedger ledger, TimeSpan lease, TimeProvider time, ILogger logger, string flow)
    {
        _ledger = ledger;
        _lease = lease;
        _time = time;
        _logger = logger;
        _flow = flow;
        var period = lease / 3;
        _timer = time.CreateTimer(static state => ((LeaseKeeper)state!).Tick(), this, period, period);
    }

    public void Add(HeldLease lease)
    {
        lock (_gate)
        {
            _leases.Add(lease);
        }
    }

    /// <summary>Renews, now, those of <paramref name="leases"/> that have less than half their time left.</summary>
    public async Task EnsureAsync(IReadOnlyList<HeldLease> leases, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = leases.Where(l => !l.Lost && l.HeldUntil - now < _lease / 2).ToList();
        if (due.Count > 0)
        {
            await RenewAsync(due, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private void Tick()
    {
        List<HeldLease> leases;
        lock (_gate)
        {
            if (_disposed || _leases.Count == 0)
            {
                return;
            }

            leases = [.. _leases.Where(l => !l.Lost)];
        }

        if (leases.Count == 0 || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return; // the previous renewal is still under way
        }

        _ = RenewOnTimerAsync(leases);
    }

    private async Task RenewOnTimerAsync(List<HeldLease> leases)
    {
        try
        {
            await RenewAsync(leases, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcordException exception)
        {
            // The store is unavailable: the leases keep what they have; the fence before the next vendor call tries again.
            Log.LeaseRenewalFailed(_logger, _flow, exception.Category, PersonalDataMasker.Mask(exception.Message));
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping: the wave ends with it, and its leases are released or expire.
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private async Task RenewAsync(List<HeldLease> leases, CancellationToken cancellationToken)
    {
        var since = _time.GetUtcNow();
        var renewed = await _ledger.RenewAsync([.. leases.Select(l => l.ToRenewal())], _lease, cancellationToken).ConfigureAwait(false);
        var lost = 0;
        for (var i = 0; i < leases.Count; i++)
        {
            leases[i].Renewed(renewed[i], since + _lease);
            lost += renewed[i] ? 0 : 1;
        }

        if (lost > 0)
        {
            Log.LeasesLost(_logger, _flow, lost);
        }
    }
}
