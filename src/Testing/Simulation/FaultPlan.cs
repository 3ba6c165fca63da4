namespace Concord.Testing;

/// <summary>
/// The faults a simulator injects, decided per request in the order the rules were added: the first matching
/// rule that fires decides the answer (error status, 429, lost response); latency rules add up on top of it.
/// Deterministic: share-based rules draw from a <see cref="Random"/> seeded by <see cref="SimulatorOptions.Seed"/>,
/// so the same sequence of calls faults the same calls. Every rule takes an optional scope
/// (<c>when: r =&gt; r.Is("POST", "/api/records")</c>). Thread-safe.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly Random _random;

    internal FaultPlan(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>Answers the next <paramref name="count"/> matching calls with <paramref name="statusCode"/>; the handler does not run.</summary>
    /// <param name="count">How many calls fail.</param>
    /// <param name="statusCode">The error status (500 to 599).</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan FailNext(int count, int statusCode = 503, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        CheckServerError(statusCode);
        return Add(new Rule(FaultKind.Status, when) { Remaining = count, StatusCode = statusCode });
    }

    /// <summary>Answers a <paramref name="share"/> of matching calls (0 to 1, drawn from the seeded random) with <paramref name="statusCode"/>.</summary>
    /// <param name="share">The share of calls that fail (0.2 is one in five on average).</param>
    /// <param name="statusCode">The error status (500 to 599).</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan FailShare(double share, int statusCode = 503, Func<SimulatorRequest, bool>? when = null)
    {
        CheckShare(share);
        CheckServerError(statusCode);
        return Add(new Rule(FaultKind.Status, when) { Share = share, StatusCode = statusCode });
    }

    /// <summary>Answers the next <paramref name="count"/> matching calls with 429 and <c>Retry-After</c> in whole seconds; the handler does not run.</summary>
    /// <param name="count">How many calls are throttled.</param>
    /// <param name="retryAfter">The delay the answer asks for (rounded up to whole seconds).</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan ThrottleNext(int count, TimeSpan retryAfter, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return Add(new Rule(FaultKind.Throttle, when) { Remaining = count, StatusCode = 429, RetryAfter = retryAfter });
    }

    /// <summary>Answers a <paramref name="share"/> of matching calls with 429 and <c>Retry-After</c>.</summary>
    /// <param name="share">The share of calls throttled (0 to 1).</param>
    /// <param name="retryAfter">The delay the answer asks for (rounded up to whole seconds).</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan ThrottleShare(double share, TimeSpan retryAfter, Func<SimulatorRequest, bool>? when = null)
    {
        CheckShare(share);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return Add(new Rule(FaultKind.Throttle, when) { Share = share, StatusCode = 429, RetryAfter = retryAfter });
    }

    /// <summary>
    /// Delays every matching call by <paramref name="latency"/> on the simulator's clock, outside the handler's lock, so
    /// concurrent calls wait together. With a <c>FakeTimeProvider</c> the call waits until the test advances it.
    /// </summary>
    /// <param name="latency">The added delay.</param>
    /// <param name="when">Which calls are delayed; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan AddLatency(TimeSpan latency, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        return Add(new Rule(FaultKind.Latency, when) { Latency = latency });
    }

    /// <summary>
    /// For the next <paramref name="count"/> matching calls, runs the handler (its write is applied) and then drops the
    /// connection before any answer byte is sent: the client sees an <see cref="HttpRequestException"/>.
    /// </summary>
    /// <param name="count">How many answers are lost.</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan LoseNextResponses(int count, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Add(new Rule(FaultKind.LostResponse, when) { Remaining = count });
    }

    /// <summary>Loses the answers of a <paramref name="share"/> of matching calls, after the handler ran.</summary>
    /// <param name="share">The share of answers lost (0 to 1).</param>
    /// <param name="when">Which calls count; all when <see langword="null"/>.</param>
    /// <returns>This plan.</returns>
    public FaultPlan LoseShare(double share, Func<SimulatorRequest, bool>? when = null)
    {
        CheckShare(share);
        return Add(new Rule(FaultKind.LostResponse, when) { Share = share });
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    internal FaultDecision Decide(SimulatorRequest request)
    {
        var latency = TimeSpan.Zero;
        Rule? decisive = null;
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.When is not null && !rule.When(request))
                {
                    continue;
                }

                if (rule.Kind == FaultKind.Latency)
                {
                    latency += rule.Latency;
                    continue;
                }

                if (decisive is not null || !rule.Fires(_random))
                {
                    continue;
                }

                decisive = rule;
            }

            _rules.RemoveAll(r => r.Remaining == 0);
        }

        return new FaultDecision(decisive?.Kind, decisive?.StatusCode ?? 0, decisive?.RetryAfter, latency);
    }

    private static void CheckShare(double share)
    {
        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share must be between 0 and 1.");
        }
    }

    private static void CheckServerError(int statusCode)
    {
        if (statusCode is < 500 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A failure status must be a 5xx; use ThrottleNext for 429.");
        }
    }

    private FaultPlan Add(Rule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return this;
    }

    private sealed class Rule(FaultKind kind, Func<SimulatorRequest, bool>? when)
    {
        public FaultKind Kind { get; } = kind;

        public Func<SimulatorRequest, bool>? When { get; } = when;

        /// <summary>Calls left for a count rule; -1 for a share rule.</summary>
        public int Remaining { get; set; } = -1;

        public double Share { get; init; }

        public int StatusCode { get; init; }

        public TimeSpan? RetryAfter { get; init; }

        public TimeSpan Latency { get; init; }

        public bool Fires(Random random)
        {
            if (Remaining > 0)
            {
                Remaining--;
                return true;
            }

            return Remaining < 0 && random.NextDouble() < Share;
        }
    }
}
