using System.Collections.Immutable;

namespace Concord.Sync.Outbox;

/// <summary>The outbox in process memory, for tests and single-run tools. Delivered messages are dropped.</summary>
internal sealed class InMemoryOutbox(TimeProvider timeProvider) : IOutbox
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Slot> _pending = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private long _sequence;

    public Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            foreach (var message in messages)
            {
                if (_ids.Add(message.Id))
                {
                    _pending.AddLast(new Slot(message with { Sequence = ++_sequence, Attempts = 0 }));
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<OutboxLease> ClaimAsync(int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        var now = timeProvider.GetUtcNow();
        var token = Guid.NewGuid();
        var expiresAt = now + lease;
        var claimed = ImmutableArray.CreateBuilder<OutboxMessage>();
        lock (_gate)
        {
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            for (var node = _pending.First; node is not null && claimed.Count < maxMessages; node = node.Next)
            {
                var slot = node.Value;
                if (blocked.Contains(slot.Message.PartitionKey))
                {
                    continue;
                }

                if (slot.LeaseToken is not null && slot.LeaseExpiresAt > now)
                {
                    blocked.Add(slot.Message.PartitionKey);
                    continue;
                }

                slot.LeaseToken = token;
                slot.LeaseExpiresAt = expiresAt;
                claimed.Add(slot.Message);
            }
        }

        return Task.FromResult(new OutboxLease(token, expiresAt, claimed.ToImmutable()));
    }

    public Task CompleteAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var ids = messageIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            for (var node = _pending.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.LeaseToken == leaseToken && ids.Contains(node.Value.Message.Id))
                {
                    _pending.Remove(node);
                }

                node = next;
            }
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var ids = messageIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var slot in _pending)
            {
                if (slot.LeaseToken == leaseToken && ids.Contains(slot.Message.Id))
                {
                    slot.LeaseToken = null;
                    slot.Message = slot.Message with { Attempts = slot.Message.Attempts + 1 };
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_pending.Count);
        }
    }

    private sealed class Slot(OutboxMessage message)
    {
        public OutboxMessage Message { get; set; } = message;

        public Guid? LeaseToken { get; set; }

        public DateTimeOffset LeaseExpiresAt { get; set; }
    }
}
