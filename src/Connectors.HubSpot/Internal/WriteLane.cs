namespace Concord.Connectors.HubSpot.Internal;

/// <summary>
/// The calls one write may have in flight (<see cref="HubSpotConnectorOptions.MaxParallelBatches"/>), shared by the
/// slices of the write that run side by side. A free slot goes to the waiting call of the earliest slice: a slice
/// finishes (its links included) as soon as it can, and later slices fill the slots it leaves idle while it waits for its
/// answers. Every HubSpot call made on behalf of the write passes it (<see cref="Current"/>, set per slice).
/// </summary>
internal sealed class WriteGate(int slots)
{
    private static readonly AsyncLocal<WriteLane?> Lane = new();

    private readonly Lock _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, (int Priority, long Order)> _waiting = new();
    private int _free = slots;
    private long _order;

    /// <summary>The lane of the write slice the current call belongs to, or <see langword="null"/> outside a sliced write (reads, set-up).</summary>
    public static WriteLane? Current => Lane.Value;

    /// <summary>Marks the calls of the current async flow as slice <paramref name="priority"/>'s (lower goes first) until disposed.</summary>
    /// <param name="priority">The slice's position in the write.</param>
    /// <returns>The scope.</returns>
    public IDisposable Enter(int priority)
    {
        var previous = Lane.Value;
        Lane.Value = new WriteLane(this, priority);
        return new Scope(previous);
    }

    public async ValueTask WaitAsync(int priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_free > 0 && _waiting.Count == 0)
            {
                _free--;
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, (priority, _order++));
        }

        using (cancellationToken.Register(static w => ((TaskCompletionSource)w!).TrySetCanceled(), waiter))
        {
            // Granted and cancelled at once: the grant wins, and the caller releases the slot as usual.
            await waiter.Task.ConfigureAwait(false);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var next, out _))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _free++;
        }
    }

    private sealed class Scope(WriteLane? previous) : IDisposable
    {
        public void Dispose() => Lane.Value = previous;
    }
}

/// <summary>A slice of a write: the gate it shares with the other slices, and its priority there.</summary>
internal sealed record WriteLane(WriteGate Gate, int Priority)
{
    /// <summary>Runs <paramref name="call"/> holding one of the write's slots.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(Priority, cancellationToken).ConfigureAwait(false);
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}
