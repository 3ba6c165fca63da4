namespace Concord.Connectors.HubSpot.Limits;

/// <summary>
/// A sliding-window limiter on a <see cref="TimeProvider"/>: at most <see cref="Permits"/> requests counted in any span of
/// <see cref="Window"/>. HubSpot counts a request when it arrives, which may be any time until its answer is back, so a
/// permit is held while its request is in flight and counts for a window after the request ended (the
/// <see cref="Grant"/> is disposed): requests of two windows can then never arrive together, however slow the network.
/// It can be resized and told about requests it did not grant (other processes of the same app, seen through HubSpot's
/// <c>-Remaining</c> header), and exhausted for a window after a 429.
/// </summary>
internal sealed class WindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    /// <summary>
    /// How much later than its grant a request may reach HubSpot: the server's count (<c>-Remaining</c>) is compared with
    /// the grants of the last window plus this much.
    /// </summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();

    // Permits whose request ended (or that stand for another process's requests or a 429), by when they stop counting
    // minus the window; in time order, as they are added at the clock's "now".
    private readonly Queue<DateTimeOffset> _grants = new();
    private readonly Queue<DateTimeOffset> _recent = new();
    private TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    public int Permits { get; private set; } = permits;

    public TimeSpan Window { get; private set; } = window;

    /// <summary>Takes a permit, waiting (on the clock) until one is free; dispose the grant when the request has ended.</summary>
    public async ValueTask<Grant> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task ended;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                Prune(now);
                if (_inFlight + _grants.Count < Permits)
                {
                    _inFlight++;
                    _recent.Enqueue(now);
                    return new Grant(this);
                }

                // Every permit is in flight: the first to end frees one a window later (the wait is computed again then).
                wait = _grants.Count > 0 ? _grants.Peek() + Window - now : Window;
                ended = _ended.Task;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, waiting.Token), ended).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Resizes to <paramref name="newPermits"/> per <paramref name="newWindow"/>, and counts requests the server saw but this limiter did not grant.</summary>
    public void Observe(int newPermits, TimeSpan newWindow, int? serverUsed)
    {
        lock (_gate)
        {
            Permits = Math.Max(1, newPermits);
            Window = newWindow > TimeSpan.Zero ? newWindow : Window;
            var now = time.GetUtcNow();
            Prune(now);
            if (serverUsed is { } used)
            {
                // Requests HubSpot counted that this limiter did not send (within the window and the skew): another
                // process of the same app. They hold permits from now on.
                for (var missing = Math.Min(used, Permits) - _recent.Count; missing > 0; missing--)
                {
                    _grants.Enqueue(now);
                    _recent.Enqueue(now);
                }
            }
        }
    }

    /// <summary>Fills the window, so no permit is granted for one window (after a 429).</summary>
    public void Exhaust()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Prune(now);
            while (_inFlight + _grants.Count < Permits)
            {
                _grants.Enqueue(now);
            }
        }
    }

    /// <summary>A request ended: its permit counts from now for a window, instead of while it is in flight.</summary>
    private void End()
    {
        TaskCompletionSource ended;
        lock (_gate)
        {
            _inFlight--;
            _grants.Enqueue(time.GetUtcNow());
            ended = _ended;
            _ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.TrySetResult();
    }

    private void Prune(DateTimeOffset now)
    {
        while (_grants.Count > 0 && now - _grants.Peek() >= Window)
        {
            _grants.Dequeue();
        }

        while (_recent.Count > 0 && now - _recent.Peek() >= Window + Skew)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>A permit taken for one request; disposing it (once the request has ended) starts its last window.</summary>
    public sealed class Grant : IDisposable
    {
        private WindowLimiter? _owner;

        internal Grant(WindowLimiter owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.End();
    }
}
