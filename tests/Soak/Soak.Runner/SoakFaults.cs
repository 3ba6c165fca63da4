using System.Runtime.CompilerServices;
using Concord.Testing;

namespace Concord.Soak.Runner;

/// <summary>
/// The fault mix of one simulator: each request gets one seeded draw that decides its fault (or none) — of the faulted
/// share, 30 % a 5xx (503 or 500), 10 % a 429 with <c>Retry-After: 1</c>, 30 % a lost response (the request is applied,
/// the answer never arrives) and 30 % latency (50 ms, or 500 ms for one in six). Counts what it injected.
/// </summary>
internal sealed class SoakFaults
{
    private readonly ConditionalWeakTable<SimulatorRequest, StrongBox<Injected>> _decisions = [];
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly double _share;
    private readonly long[] _counts = new long[Enum.GetValues<Injected>().Length];
    private readonly Func<SimulatorRequest, bool> _isWrite;
    private volatile Action? _onLostWrite;
    private long _requests;

    public SoakFaults(int seed, double share, Func<SimulatorRequest, bool>? isWrite = null)
    {
        _random = new Random(seed);
        _share = share;
        _isWrite = isWrite ?? (_ => false);
    }

    /// <summary>What a request got.</summary>
    public enum Injected
    {
        None,
        ServiceUnavailable,
        ServerError,
        Throttled,
        LostResponse,
        ShortLatency,
        LongLatency,
    }

    /// <summary>Requests decided so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Called once, on the thread that decides it, for the next write whose answer is lost; then disarmed.</summary>
    public void ArmLostWrite(Action onLostWrite) => _onLostWrite = onLostWrite;

    public void Disarm() => _onLostWrite = null;

    public long Count(Injected kind) => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>Requests that got a fault (latency included).</summary>
    public long Faulted => Requests - Count(Injected.None);

    /// <summary>Installs the mix in <paramref name="plan"/> (the draw happens in the first rule, which the plan always evaluates first).</summary>
    public void Install(FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.LoseShare(1.0, r => Decide(r) == Injected.LostResponse)
            .FailShare(1.0, 503, r => Decided(r) == Injected.ServiceUnavailable)
            .FailShare(1.0, 500, r => Decided(r) == Injected.ServerError)
            .ThrottleShare(1.0, TimeSpan.FromSeconds(1), r => Decided(r) == Injected.Throttled)
            .AddLatency(TimeSpan.FromMilliseconds(50), r => Decided(r) == Injected.ShortLatency)
            .AddLatency(TimeSpan.FromMilliseconds(500), r => Decided(r) == Injected.LongLatency);
    }

    private Injected Decide(SimulatorRequest request)
    {
        double draw;
        lock (_gate)
        {
            draw = _random.NextDouble();
        }

        var injected = Pick(draw);
        _decisions.AddOrUpdate(request, new StrongBox<Injected>(injected));
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _counts[(int)injected]);
        if (injected == Injected.LostResponse && _isWrite(request) && Interlocked.Exchange(ref _onLostWrite, null) is { } onLost)
        {
            onLost();
        }

        return injected;
    }

    private Injected Decided(SimulatorRequest request) => _decisions.TryGetValue(request, out var box) ? box.Value : Injected.None;

    private Injected Pick(double draw)
    {
        if (draw >= _share)
        {
            return Injected.None;
        }

        var within = draw / _share;
        return within switch
        {
            < 0.20 => Injected.ServiceUnavailable,
            < 0.30 => Injected.ServerError,
            < 0.40 => Injected.Throttled,
            < 0.70 => Injected.LostResponse,
            < 0.95 => Injected.ShortLatency,
            _ => Injected.LongLatency,
        };
    }
}
