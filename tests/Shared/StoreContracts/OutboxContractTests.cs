using System.Collections.Concurrent;
using Concord.Sync.Outbox;

namespace Concord.StoreContracts.Tests;

/// <summary>The contract of the engine's durable stores, run against each implementation by a subclass.</summary>
public abstract class OutboxContractTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly EngineStateFixture _state;

    protected OutboxContractTests() => _state = CreateState();

    public void Dispose() => _state.Dispose();

    /// <summary>Creates the stores on new, empty state; <paramref name="clock"/> defaults to a fake clock at 2026-11-23 12:00 UTC.</summary>
    protected abstract EngineStateFixture CreateState(TimeProvider? clock = null);

    [Fact]
    public async Task Enqueue_assigns_increasing_sequences_and_ignores_an_id_already_present()
    {
        var outbox = _state.Outbox();
        await outbox.EnqueueAsync([Message("e-1", "c-1"), Message("e-2", "c-2")]);
        await outbox.EnqueueAsync([Message("e-1", "c-1"), Message("e-3", "c-1")]);

        var lease = await outbox.ClaimAsync(10, Lease);

        Assert.Equal(["e-1", "e-2", "e-3"], lease.Messages.Select(m => m.Id));
        Assert.True(lease.Messages[0].Sequence < lease.Messages[1].Sequence && lease.Messages[1].Sequence < lease.Messages[2].Sequence);
        Assert.Equal(3, await outbox.CountPendingAsync());
    }

    [Fact]
    public async Task A_leased_message_is_not_claimed_again_until_its_lease_expires()
    {
        var outbox = _state.Outbox();
        await outbox.EnqueueAsync([Message("e-1", "c-1")]);
        var first = await outbox.ClaimAsync(10, Lease);

        var during = await outbox.ClaimAsync(10, Lease);
        _state.FakeClock.Advance(Lease + TimeSpan.FromSeconds(1));
        var after = await outbox.ClaimAsync(10, Lease);

        Assert.Single(first.Messages);
        Assert.Empty(during.Messages);
        Assert.Equal("e-1", Assert.Single(after.Messages).Id);
    }

    [Fact]
    public async Task A_partition_whose_head_is_leased_elsewhere_is_skipped_whole_so_order_per_customer_holds()
    {
        var outbox = _state.Outbox();
        await outbox.EnqueueAsync([Message("a-1", "c-a")]);
        var head = await outbox.ClaimAsync(1, Lease);
        await outbox.EnqueueAsync([Message("a-2", "c-a"), Message("b-1", "c-b")]);

        var next = await outbox.ClaimAsync(10, Lease);

        Assert.Equal("a-1", Assert.Single(head.Messages).Id);
        Assert.Equal("b-1", Assert.Single(next.Messages).Id);
    }

    [Fact]
    public async Task Completed_messages_are_never_claimed_again_and_only_the_lease_holder_can_complete_them()
    {
        var outbox = _state.Outbox();
        await outbox.EnqueueAsync([Message("e-1", "c-1"), Message("e-2", "c-2")]);
        var lease = await outbox.ClaimAsync(10, Lease);

        await outbox.CompleteAsync(Guid.NewGuid(), ["e-1", "e-2"]);
        Assert.Equal(2, await outbox.CountPendingAsync());
        await outbox.CompleteAsync(lease.Token, ["e-1"]);
        _state.FakeClock.Advance(Lease * 2);
        var again = await outbox.ClaimAsync(10, Lease);

        Assert.Equal(1, await outbox.CountPendingAsync());
        Assert.Equal("e-2", Assert.Single(again.Messages).Id);
    }

    [Fact]
    public async Task Released_messages_are_claimable_at_once_with_one_more_attempt()
    {
        var outbox = _state.Outbox();
        await outbox.EnqueueAsync([Message("e-1", "c-1")]);
        var lease = await outbox.ClaimAsync(10, Lease);

        await outbox.ReleaseAsync(lease.Token, ["e-1"]);
        var again = await outbox.ClaimAsync(10, Lease);

        Assert.Equal(1, Assert.Single(again.Messages).Attempts);
    }

    [Fact]
    public async Task Two_processes_dispatching_one_outbox_deliver_every_message_once_and_in_order_per_customer()
    {
        using var state = CreateState(TimeProvider.System);
        var writer = state.Outbox();
        var messages = Enumerable.Range(0, 300).Select(i => Message($"e-{i:D3}", $"c-{i % 7}")).ToList();
        await writer.EnqueueAsync(messages);
        var dispatchers = new[] { state.Outbox(), state.Outbox(state.Reopen()) };
        var delivered = new ConcurrentQueue<OutboxMessage>();

        await Task.WhenAll(dispatchers.Select(outbox => Task.Run(async () =>
        {
            for (var round = 0; round < 200; round++)
            {
                var lease = await outbox.ClaimAsync(16, TimeSpan.FromMinutes(5));
                if (lease.Messages.IsEmpty)
                {
                    if (await outbox.CountPendingAsync() == 0)
                    {
                        return;
                    }

                    continue;
                }

                foreach (var message in lease.Messages)
                {
                    delivered.Enqueue(message);
                }

                await outbox.CompleteAsync(lease.Token, [.. lease.Messages.Select(m => m.Id)]);
            }
        })));

        Assert.Equal(messages.Select(m => m.Id).Order(StringComparer.Ordinal), delivered.Select(m => m.Id).Order(StringComparer.Ordinal));
        foreach (var partition in delivered.GroupBy(m => m.PartitionKey))
        {
            var sequences = partition.Select(m => m.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task The_trace_context_of_a_message_is_kept_with_it()
    {
        var outbox = _state.Outbox();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await outbox.EnqueueAsync([Message("e-1", "c-1") with { TraceParent = traceParent }, Message("e-2", "c-2")]);

        var lease = await outbox.ClaimAsync(10, Lease);

        Assert.Equal([traceParent, null], lease.Messages.Select(m => m.TraceParent));
    }

    private static OutboxMessage Message(string id, string partition) => new()
    {
        Id = id,
        PartitionKey = partition,
        Type = "customer.updated",
        Source = "/concord/flows/test",
        Subject = partition,
        Time = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
        CorrelationId = "run-1",
        Data = "{}",
    };
}
