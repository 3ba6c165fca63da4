using System.Threading.RateLimiting;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// A <see cref="RateLimiter"/> whose permits come from an <see cref="IRateBudgetStore"/> that every instance of a host
/// shares, so N instances together never start more than <c>limit</c> requests in any <c>window</c>-long span.
/// </summary>
/// <remarks>
/// <para>The window is counted in <see cref="SlicesPerWindow"/> slices of UTC time (the same slice number in every
/// instance) and a grant counts in its slice for <see cref="SlicesPerWindow"/> + 1 slices: any window-long span, however
/// it is placed, lies within that many slices, so even a vendor that measures a rolling window never sees more than
/// <c>limit</c> (the price: at most one slice, a tenth of the window, of unused budget).</para>
/// <para>A caller that finds the window full waits for the next slice (on the <see cref="TimeProvider"/>) and asks
/// again; at most <c>queueLimit</c> callers wait, one more is refused with a <see cref="MetadataName.RetryAfter"/>.
/// Up to <c>batchSize</c> permits are taken per store call and the spare ones used by this instance within the same
/// slice only (a spare permit never outlives its slice, so what is counted is what is sent).</para>
/// </remarks>
internal sealed class SharedBudgetRateLimiter : RateLimiter
{
    /// <summary>How many slices make one window.</summary>
    public const int SlicesPerWindow = 10;

    private readonly IRateBudgetStore _store;
    private readonly string _budget;
    private readonly int _limit;
    private readonly long _sliceTicks;
    private readonly int _queueLimit;
    private readonly int _batchSize;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _spareSlice = long.MinValue;
    private int _spare;
    private int _waiting;

    public SharedBudgetRateLimiter(IRateBudgetStore store, string budget, int limit, TimeSpan window, int queueLimit, int batchSize, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromTicks(SlicesPerWindow));
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _budget = budget;
        _limit = limit;
        _sliceTicks = window.Ticks / SlicesPerWindow;
        _queueLimit = queueLimit;
        _batchSize = Math.Min(batchSize, limit);
        _timeProvider = timeProvider;
    }

    /// <summary>The budget's name in the store.</summary>
    public string Budget => _budget;

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => null;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _spareSlice == CurrentSlice() ? _spare : 0,
                CurrentQueuedCount = _waiting,
            };
        }
    }

    /// <summary>Grants only from this instance's spare permits of the current slice: asking the store needs I/O.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        var slice = CurrentSlice();
        return permitCount == 0 || TakeSpare(slice, permitCount) ? Lease.Acquired : Lease.Refused(UntilNextSlice(slice));
    }

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (permitCount == 0)
        {
            return Lease.Acquired;
        }

        if (await TryAcquireAsync(permitCount, cancellationToken).ConfigureAwait(false))
        {
            return Lease.Acquired;
        }

        lock (_gate)
        {
            if (_waiting >= _queueLimit)
            {
                var estimate = UntilNextSlice(CurrentSlice()) + TimeSpan.FromTicks(_sliceTicks * (_waiting / _limit));
                return Lease.Refused(estimate);
            }

            _waiting++;
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
            while (true)
            {
                await Task.Delay(UntilNextSlice(CurrentSlice()), _timeProvider, linked.Token).ConfigureAwait(false);
                if (await TryAcquireAsync(permitCount, linked.Token).ConfigureAwait(false))
                {
                    return Lease.Acquired;
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Lease.Refused(null);
        }
        finally
        {
            lock (_gate)
            {
                _waiting--;
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<bool> TryAcquireAsync(int permitCount, CancellationToken cancellationToken)
    {
        var slice = CurrentSlice();
        if (TakeSpare(slice, permitCount))
        {
            return true;
        }

        var granted = await _store.TakeAsync(
            new RateBudgetRequest
            {
                Budget = _budget,
                Segment = slice,
                WindowSegments = SlicesPerWindow + 1,
                Permits = Math.Max(permitCount, _batchSize),
                Limit = _limit,
            },
            cancellationToken).ConfigureAwait(false);

        lock (_gate)
        {
            if (_spareSlice != slice)
            {
                _spareSlice = slice;
                _spare = 0;
            }

            _spare += granted;
            if (_spare < permitCount)
            {
                return false;
            }

            _spare -= permitCount;
            return true;
        }
    }

    private bool TakeSpare(long slice, int permitCount)
    {
        lock (_gate)
        {
            if (_spareSlice != slice || _spare < permitCount)
            {
                return false;
            }

            _spare -= permitCount;
            return true;
        }
    }

    private long CurrentSlice() => _timeProvider.GetUtcNow().UtcTicks / _sliceTicks;

    private TimeSpan UntilNextSlice(long slice) =>
        TimeSpan.FromTicks(Math.Max(1, ((slice + 1) * _sliceTicks) - _timeProvider.GetUtcNow().UtcTicks));

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Refused(TimeSpan? retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
