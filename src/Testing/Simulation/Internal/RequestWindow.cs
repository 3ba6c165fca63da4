namespace Concord.Testing;

/// <summary>A rolling window of grants: at most <c>limit</c> in any <c>window</c>-long span.</summary>
internal sealed class RequestWindow(TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _grants = new();

    public int Peak { get; private set; }

    public int Count(DateTimeOffset now)
    {
        Prune(now);
        return _grants.Count;
    }

    /// <summary>Takes a grant when fewer than <paramref name="limit"/> are in the window; otherwise says how long until one frees.</summary>
    public bool TryTake(DateTimeOffset now, int limit, out TimeSpan retryAfter)
    {
        Prune(now);
        if (_grants.Count < limit)
        {
            _grants.Enqueue(now);
            Peak = Math.Max(Peak, _grants.Count);
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = _grants.Peek() + window - now;
        return false;
    }

    /// <summary>Seconds until the oldest grant leaves the window (0 when empty).</summary>
    public TimeSpan UntilReset(DateTimeOffset now)
    {
        Prune(now);
        return _grants.Count == 0 ? TimeSpan.Zero : _grants.Peek() + window - now;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_grants.Count > 0 && now - _grants.Peek() >= window)
        {
            _grants.Dequeue();
        }
    }
}
