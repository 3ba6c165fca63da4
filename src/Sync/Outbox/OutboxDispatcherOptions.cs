using System.ComponentModel.DataAnnotations;

namespace Concord.Sync.Outbox;

/// <summary>How the outbox is drained.</summary>
public sealed class OutboxDispatcherOptions
{
    /// <summary>How many events one claim takes; between 1 and 10,000.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds before another dispatcher may take the events over; at least one second.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the hosted service drains the outbox; at least 100 ms.</summary>
    /// <value>The default value is five seconds.</value>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);
}
