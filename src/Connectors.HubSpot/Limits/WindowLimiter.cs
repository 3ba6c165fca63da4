namespace Concord.Connectors.HubSpot.Limits;

/// <summary>
/// A sliding-window limiter on a <see cref="TimeProvider"/>: at most <see cref="Permits"/> grants in any span of
/// <see cref="Window"/>. It can be resized and told about requests it did not grant (other processes of the same app,
/// seen through HubSpot's <c>-Remaining</c> header), and exhausted for a window after a 429.
/// </summary>
internal sealed class WindowLimiter(int permits, TimeSpan window, TimeProvider time)
{
    /// <summary>
    /// How much later than its grant a request may reach HubSpot: HubSpot counts arrivals, this limiter counts departures,
    /// so the server's count is compared with the grants of the last window plus this much.
    /// </summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _grants = new();
    private readonly Queue<DateTimeOffset> _recent = new();

    public int Permits { get; private set; } = permits;

    public TimeSpan Window { get; private set; } = window;

    /// <summary>Takes a permit, waiting (on the clock) until one is free.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                Prune(now);
                if (_grants.Count < Permits)
                {
                    _grants.Enqueue(now);
                    _recent.Enqueue(now);
                    return;
                }

                wait = _grants.Peek() + Window - now;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
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
            while (_grants.Count < Permits)
            {
                _grants.Enqueue(now);
            }
        }
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
}
