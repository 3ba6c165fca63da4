namespace Concord.Canonical.Tests.Resilience.Infrastructure;

/// <summary>Sits inside the pipeline (one call per attempt) and records when each attempt started on the fake clock.</summary>
internal sealed class RecordingHandler(TimeProvider time, Signal signal) : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _attempts = [];
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public IReadOnlyList<DateTimeOffset> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _attempts.Add(time.GetUtcNow());
        }

        Interlocked.Increment(ref _inFlight);
        signal.Raise();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            signal.Raise();
        }
    }
}
