namespace Concord.Connectors.Zendesk.Limits;

/// <summary>
/// A client-side limiter on a <see cref="TimeProvider"/>: at most <see cref="Limit"/> grants in any <c>window</c>-long span,
/// resizable at run time (from <c>X-Rate-Limit</c>) and able to pause every caller until a time (a 429's
/// <c>Retry-After</c>, a spent budget's reset). Callers over the limit wait on the clock; cancellation ends the wait.
/// </summary>
internal sealed class RequestGate(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _grants = new();
    private int _limit = Math.Max(1, limit);
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>The grants allowed in one window now.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>The most grants seen in one window so far.</summary>
    public int Peak { get; private set; }

    /// <summary>Changes the limit (at least 1); grants already made stay counted.</summary>
    public void Resize(int newLimit)
    {
        lock (_gate)
        {
            _limit = Math.Max(1, newLimit);
        }
    }

    /// <summary>Makes every caller wait until <paramref name="delay"/> from now (the longest pause asked for wins).</summary>
    public void PauseFor(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            var until = time.GetUtcNow() + delay;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>Takes a grant, waiting on the clock for one if the window is full or the gate is paused.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                while (_grants.Count > 0 && now - _grants.Peek() >= window)
                {
                    _grants.Dequeue();
                }

                if (_pausedUntil > now)
                {
                    wait = _pausedUntil - now;
                }
                else if (_grants.Count < _limit)
                {
                    _grants.Enqueue(now);
                    Peak = Math.Max(Peak, _grants.Count);
                    return;
                }
                else
                {
                    wait = _grants.Peek() + window - now;
                }
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The per-record limits Zendesk applies to single writes (5 updates a minute per organization and per user): each key
/// has its own window; a sixth write to one record within a minute waits for the oldest to leave it.
/// </summary>
internal sealed class PerRecordGate(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _writes = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask AcquireAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_writes.Count > 4096)
                {
                    foreach (var stale in _writes.Where(w => w.Value.Count == 0 || now - w.Value.Last() >= window).Select(w => w.Key).ToList())
                    {
                        _writes.Remove(stale);
                    }
                }

                if (!_writes.TryGetValue(key, out var recent))
                {
                    _writes[key] = recent = new Queue<DateTimeOffset>();
                }

                while (recent.Count > 0 && now - recent.Peek() >= window)
                {
                    recent.Dequeue();
                }

                if (recent.Count < limit)
                {
                    recent.Enqueue(now);
                    return;
                }

                wait = recent.Peek() + window - now;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The account's job slots: at most <c>maxInFlight</c> jobs of this connector queued or running, and none submitted while
/// <c>zendesk-ratelimit-inflight-jobs</c> says the account has no slot left (other integrations count too).
/// </summary>
internal sealed class JobSlots(int maxInFlight, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    private long _blockedUntilTicks;

    // The account's free slots as the last inflight-jobs header said, less the jobs submitted since; -1 before any header.
    private int _accountRemaining = -1;

    public int Available => _slots.CurrentCount;

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (new DateTimeOffset(Interlocked.Read(ref _blockedUntilTicks), TimeSpan.Zero) is var until && until > time.GetUtcNow())
            {
                await Task.Delay(until - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Decrement(ref _accountRemaining);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Takes a slot if one is free now and submissions are not held.</summary>
    public bool TryAcquire()
    {
        // Several submissions at once only while the account is known to have room for them (other integrations' jobs count).
        if (new DateTimeOffset(Interlocked.Read(ref _blockedUntilTicks), TimeSpan.Zero) > time.GetUtcNow() || Volatile.Read(ref _accountRemaining) <= 0 || !_slots.Wait(0))
        {
            return false;
        }

        Interlocked.Decrement(ref _accountRemaining);
        return true;
    }

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();

    /// <summary>Reads <c>total=30; remaining=N; resets=S</c>: with no slot left, submissions wait <c>S</c> seconds (at least one).</summary>
    public void Observe(string? header)
    {
        if (header is null || Field(header, "remaining") is not { } remaining)
        {
            return;
        }

        Volatile.Write(ref _accountRemaining, (int)Math.Min(remaining, int.MaxValue));
        if (remaining > 0)
        {
            return;
        }

        var resets = Math.Max(1, Field(header, "resets") ?? 1);
        BlockFor(TimeSpan.FromSeconds(resets));
    }

    public void BlockFor(TimeSpan delay)
    {
        var until = (time.GetUtcNow() + delay).UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref _blockedUntilTicks);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _blockedUntilTicks, until, current) != current);
    }

    private static long? Field(string header, string name)
    {
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part.AsSpan(0, equals).Trim().Equals(name, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(part.AsSpan(equals + 1).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
