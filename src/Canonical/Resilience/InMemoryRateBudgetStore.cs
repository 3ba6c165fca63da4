namespace Concord.Canonical.Resilience;

/// <summary>
/// The default <see cref="IRateBudgetStore"/>: counts in this process's memory, so it shares a budget between the
/// clients of one process only. Register one instance in two containers to play two instances of a host in a test.
/// </summary>
public sealed class InMemoryRateBudgetStore : IRateBudgetStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, int>> _budgets = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<int> TakeAsync(RateBudgetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_budgets.TryGetValue(request.Budget, out var segments))
            {
                segments = [];
                _budgets[request.Budget] = segments;
            }

            var oldest = request.Segment - request.WindowSegments + 1;
            var used = 0;
            foreach (var key in segments.Keys.ToList())
            {
                if (key < oldest)
                {
                    segments.Remove(key);
                }
                else
                {
                    used += segments[key]; // later slices too: an instance whose clock runs ahead counted them
                }
            }

            var granted = Math.Clamp(request.Limit - used, 0, request.Permits);
            if (granted > 0)
            {
                segments[request.HeldSegment] = segments.GetValueOrDefault(request.HeldSegment) + granted;
            }

            return ValueTask.FromResult(granted);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string budget, long heldSegment, long segment, int permits, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_budgets.TryGetValue(budget, out var segments) && segments.TryGetValue(heldSegment, out var held) && held > 0)
            {
                var moved = Math.Min(held, permits);
                if (held == moved)
                {
                    segments.Remove(heldSegment);
                }
                else
                {
                    segments[heldSegment] = held - moved;
                }

                segments[segment] = segments.GetValueOrDefault(segment) + moved;
            }
        }

        return ValueTask.CompletedTask;
    }
}
