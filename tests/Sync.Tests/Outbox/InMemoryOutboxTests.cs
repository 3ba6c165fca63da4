using Concord.Sync.Outbox;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Sync.Tests.Outbox;

public sealed class InMemoryOutboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static OutboxMessage Message(string id, string partition) => new()
    {
        Id = id,
        PartitionKey = partition,
        Type = CustomerEventTypes.Updated,
        Source = "/concord/flows/test",
        Time = DateTimeOffset.UnixEpoch,
        CorrelationId = "c",
        Data = "{}",
    };

    [Fact]
    public async Task A_partition_is_not_claimed_past_a_head_another_lease_holds()
    {
        var outbox = new InMemoryOutbox(_time);
        await outbox.EnqueueAsync([Message("a1", "A"), Message("b1", "B")]);
        var first = await outbox.ClaimAsync(1, TimeSpan.FromMinutes(1));
        await outbox.EnqueueAsync([Message("a2", "A")]);

        var second = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));

        Assert.Equal(["a1"], first.Messages.Select(m => m.Id));
        Assert.Equal(["b1"], second.Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task An_expired_lease_makes_messages_claimable_again_and_a_stale_token_cannot_complete_them()
    {
        var outbox = new InMemoryOutbox(_time);
        await outbox.EnqueueAsync([Message("a1", "A")]);
        var stale = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));

        _time.Advance(TimeSpan.FromMinutes(2));
        var fresh = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));
        await outbox.CompleteAsync(stale.Token, ["a1"]);
        var pendingAfterStale = await outbox.CountPendingAsync();
        await outbox.CompleteAsync(fresh.Token, ["a1"]);

        Assert.Equal(["a1"], fresh.Messages.Select(m => m.Id));
        Assert.Equal(1, pendingAfterStale);
        Assert.Equal(0, await outbox.CountPendingAsync());
    }

    [Fact]
    public async Task Released_messages_come_back_with_an_attempt_counted_and_duplicate_ids_are_ignored()
    {
        var outbox = new InMemoryOutbox(_time);
        await outbox.EnqueueAsync([Message("a1", "A"), Message("a1", "A")]);
        var lease = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));
        await outbox.ReleaseAsync(lease.Token, ["a1"]);

        var again = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1));

        Assert.Equal(1, await outbox.CountPendingAsync());
        Assert.Equal(1, Assert.Single(again.Messages).Attempts);
    }
}
