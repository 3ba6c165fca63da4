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
/// <para>The vendor counts a request when it arrives, somewhere between its start and its answer, so a permit counts from
/// its grant until its attempt completes (held in a slice <c>maxAttempt</c> ahead, then moved to the slice of completion
/// when the lease is disposed, which the pipeline does when the attempt ends) and for a window after that: requests whose
/// first bytes linger (a cold connection, a slow proxy) cannot bunch up at the vendor. Permits an instance never releases
/// (it stopped) free themselves a window after their hold.</para>
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
    private readonly long _holdSlices;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _spareSlice = long.MinValue;
    private int _spare;
    private long _spareHeld;
    private int _waiting;

    public SharedBudgetRateLimiter(IRateBudgetStore store, string budget, int limit, TimeSpan window, int queueLimit, int batchSize, TimeSpan maxAttempt, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempt, TimeSpan.Zero);
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
        _holdSlices = (long)Math.Ceiling((double)maxAttempt.Ticks / _sliceTicks) + 1;
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
        if (permitCount == 0)
        {
            return Lease.Acquired;
        }

        return TakeSpare(slice, permitCount) is { } held ? Granted(held, permitCount) : Lease.Refused(UntilNextSlice(slice));
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

        if (await TryAcquireAsync(permitCount, cancellationToken).ConfigureAwait(false) is { } first)
        {
            return Granted(first, permitCount);
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
                if (await TryAcquireAsync(permitCount, linked.Token).ConfigureAwait(false) is { } held)
                {
                    return Granted(held, permitCount);
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

    /// <summary>Takes the permits from this instance's spare ones or the store; returns the slice they are held in, or null.</summary>
    private async ValueTask<long?> TryAcquireAsync(int permitCount, CancellationToken cancellationToken)
    {
        var slice = CurrentSlice();
        if (TakeSpare(slice, permitCount) is { } spareHeld)
        {
            return spareHeld;
        }

        var held = slice + _holdSlices;
        var granted = await _store.TakeAsync(
            new RateBudgetRequest
            {
                Budget = _budget,
                Segment = slice,
                HeldSegment = held,
                WindowSegments = SlicesPerWindow + 1,
                Permits = Math.Max(permitCount, _batchSize),
                Limit = _limit,
            },
            cancellationToken).ConfigureAwait(false);
        if (granted == 0)
        {
            return null;
        }

        lock (_gate)
        {
            DropStaleSpareLocked(slice);
            if (granted < permitCount)
            {
                // Too few for this caller: keep them for this slice (another caller may use them), released with the rest.
                _spareSlice = slice;
                _spareHeld = held;
                _spare += granted;
                return null;
            }

            if (granted > permitCount)
            {
                _spareSlice = slice; // a spare permit of this slice has this hold slice too
                _spareHeld = held;
                _spare += granted - permitCount;
            }

            return held;
        }
    }

    private long? TakeSpare(long slice, int permitCount)
    {
        lock (_gate)
        {
            DropStaleSpareLocked(slice);
            if (_spareSlice != slice || _spare < permitCount)
            {
                return null;
            }

            _spare -= permitCount;
            return _spareHeld;
        }
    }

    /// <summary>Spare permits never outlive their slice: release them as used up in it.</summary>
    private void DropStaleSpareLocked(long slice)
    {
        if (_spareSlice != slice && _spare > 0)
        {
            Release(_spareHeld, _spareSlice, _spare);
            _spare = 0;
        }
    }

    private Lease Granted(long held, int permitCount) => new(true, null, this, held, permitCount);

    /// <summary>Moves held permits to <paramref name="segment"/> in the background; when that fails they stay held until the hold ends (safe).</summary>
    private void Release(long held, long segment, int permits) => _ = ReleaseQuietlyAsync(held, segment, permits);

    private async Task ReleaseQuietlyAsync(long held, long segment, int permits)
    {
        try
        {
            await _store.ReleaseAsync(_budget, held, segment, permits).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The permits stay counted until their hold slice leaves the window: never fewer than were sent.
        }
    }

    private long CurrentSlice() => _timeProvider.GetUtcNow().UtcTicks / _sliceTicks;

    private TimeSpan UntilNextSlice(long slice) =>
        TimeSpan.FromTicks(Math.Max(1, ((slice + 1) * _sliceTicks) - _timeProvider.GetUtcNow().UtcTicks));

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter, SharedBudgetRateLimiter? owner = null, long held = 0, int permits = 0) : RetryAfterLease(isAcquired, retryAfter)
    {
        public static readonly Lease Acquired = new(true, null);

        private int _disposed;

        public static Lease Refused(TimeSpan? retryAfter) => new(false, retryAfter);

        /// <summary>The attempt ended: its permits count from this slice on, for a window, instead of until their hold ends.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing && owner is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(held, owner.CurrentSlice(), permits);
            }

            base.Dispose(disposing);
        }
    }
}
