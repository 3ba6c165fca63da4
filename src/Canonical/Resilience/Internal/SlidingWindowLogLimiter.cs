using System.Threading.RateLimiting;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// A rate limiter on a <see cref="TimeProvider"/>: never more than <c>permitLimit</c> grants in any half-open span
/// [t, t + window). Callers over the limit wait in a bounded first-in-first-out queue; one more is rejected with a
/// <see cref="MetadataName.RetryAfter"/> estimate. The limiters of System.Threading.RateLimiting run on real timers
/// and cannot be driven by a fake clock, hence this one.
/// </summary>
internal sealed class SlidingWindowLogLimiter : IDisposable
{
    private static readonly RateLimitLease Acquired = new RetryAfterLease(true, null);

    private readonly Lock _gate = new();
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly int _queueLimit;
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly Queue<TimeSpan> _grants = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly ITimer _timer;
    private bool _disposed;

    public SlidingWindowLogLimiter(int permitLimit, TimeSpan window, int queueLimit, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _permitLimit = permitLimit;
        _window = window;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((SlidingWindowLogLimiter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The number of callers waiting for a permit.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Takes a permit now, or waits for one, or is rejected when the queue is full.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = Now();
            Prune(now);
            if (_waiters.Count == 0 && _grants.Count < _permitLimit)
            {
                _grants.Enqueue(now);
                return new ValueTask<RateLimitLease>(Acquired);
            }

            if (_waiters.Count >= _queueLimit)
            {
                return new ValueTask<RateLimitLease>(new RetryAfterLease(false, EstimateWait(now)));
            }

            waiter = new Waiter();
            waiter.Node = _waiters.AddLast(waiter);
            ScheduleLocked(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static state =>
            {
                var (limiter, w, token) = ((SlidingWindowLogLimiter, Waiter, CancellationToken))state!;
                limiter.Cancel(w, token);
            }, (this, waiter, cancellationToken));
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    public void Dispose()
    {
        List<Waiter> abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            abandoned = [.. _waiters];
            _waiters.Clear();
        }

        _timer.Dispose();
        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(new RetryAfterLease(false, null));
        }
    }

    private TimeSpan Now() => _timeProvider.GetElapsedTime(_origin);

    private void Prune(TimeSpan now)
    {
        while (_grants.Count > 0 && now - _grants.Peek() >= _window)
        {
            _grants.Dequeue();
        }
    }

    private TimeSpan EstimateWait(TimeSpan now)
    {
        var untilNextFree = _grants.Count == 0 ? TimeSpan.Zero : _grants.Peek() + _window - now;
        var windowsAhead = _waiters.Count / _permitLimit;
        return untilNextFree + (_window * windowsAhead);
    }

    private void ScheduleLocked(TimeSpan now)
    {
        if (_waiters.Count == 0 || _grants.Count < _permitLimit)
        {
            return;
        }

        var due = _grants.Peek() + _window - now;
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Waiter>? granted = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = Now();
            Prune(now);
            while (_waiters.Count > 0 && _grants.Count < _permitLimit)
            {
                var waiter = _waiters.First!.Value;
                _waiters.RemoveFirst();
                waiter.Node = null;
                _grants.Enqueue(now);
                (granted ??= []).Add(waiter);
            }

            ScheduleLocked(now);
        }

        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(Acquired);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Completion.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter
    {
        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
