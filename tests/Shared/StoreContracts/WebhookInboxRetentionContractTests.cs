using Concord.Sync.Inbox;
using Concord.Sync.Retention;
using Microsoft.Extensions.Time.Testing;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// Retention of the webhook inbox, run against each durable store by a subclass (SQLite, PostgreSQL): the store's
/// <see cref="IStatePurger"/> deletes entries completed before <see cref="StatePurgeCutoffs.CompletedWebhookEvents"/>,
/// keys and all, and never a pending entry.
/// </summary>
public abstract class WebhookInboxRetentionContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>An empty inbox and the purger of the same store.</summary>
    protected abstract (IWebhookInbox Inbox, IStatePurger Purger) CreateStore();

    [Fact]
    public async Task Entries_completed_before_the_cutoff_go_with_their_keys_while_pending_and_recent_ones_stay()
    {
        var (inbox, purger) = CreateStore();
        await inbox.AddAsync([Entry("hubspot", "old-1"), Entry("hubspot", "old-2"), Entry("zendesk", "old-3"), Entry("hubspot", "waiting")]);
        await inbox.CompleteAsync("hubspot", ["old-1", "old-2"]);
        await inbox.CompleteAsync("zendesk", ["old-3"]);
        Clock.Advance(TimeSpan.FromDays(6));
        await inbox.AddAsync([Entry("hubspot", "recent")]);
        await inbox.CompleteAsync("hubspot", ["recent"]);
        Clock.Advance(TimeSpan.FromDays(2)); // old ones completed 8 days ago, the recent one 2 days ago: retention is 7

        var purged = await purger.PurgeAsync(WebhookCutoff(Clock.GetUtcNow() - new StateRetentionOptions().CompletedWebhookEvents));

        Assert.Equal(StatePurgeResult.None with { CompletedWebhookEvents = 3 }, purged);
        Assert.Equal(["waiting"], (await inbox.ReadPendingAsync("hubspot", 10)).Select(e => e.Key)); // pending, 8 days old, stays
        Assert.Equal(0, await inbox.AddAsync([Entry("hubspot", "recent"), Entry("hubspot", "waiting")])); // still recognised
        Assert.Equal(1, await inbox.AddAsync([Entry("hubspot", "old-1")])); // its key went with it: a late retry is new again
    }

    [Fact]
    public async Task Without_a_cutoff_completed_entries_are_kept()
    {
        var (inbox, purger) = CreateStore();
        await inbox.AddAsync([Entry("odoo", "k-1")]);
        await inbox.CompleteAsync("odoo", ["k-1"]);
        Clock.Advance(TimeSpan.FromDays(365));

        var purged = await purger.PurgeAsync(WebhookCutoff(null));

        Assert.Equal(StatePurgeResult.None, purged);
        Assert.Equal(0, await inbox.AddAsync([Entry("odoo", "k-1")]));
    }

    // Only the inbox's cut-off: the subclasses' stores hold the inbox table alone.
    private static StatePurgeCutoffs WebhookCutoff(DateTimeOffset? cutoff) => new(null, null, null, null) { CompletedWebhookEvents = cutoff };

    private WebhookInboxEntry Entry(string sender, string key) =>
        new() { Sender = sender, Key = key, ReceivedAt = Clock.GetUtcNow(), Payload = "{}" };
}
