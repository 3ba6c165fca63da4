namespace Concord.AspNetCore.Webhooks.Quarantine;

/// <summary>The latest refused deliveries in memory, bounded so a flood of forged requests cannot exhaust it.</summary>
internal sealed class InMemoryWebhookQuarantine : IWebhookQuarantine
{
    internal const int Capacity = 1000;

    private readonly Lock _gate = new();
    private readonly LinkedList<QuarantinedWebhook> _items = new();

    public ValueTask AddAsync(QuarantinedWebhook delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            _items.AddFirst(delivery);
            if (_items.Count > Capacity)
            {
                _items.RemoveLast();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<QuarantinedWebhook>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<QuarantinedWebhook> result = [.. _items.Take(max)];
            return ValueTask.FromResult(result);
        }
    }
}
