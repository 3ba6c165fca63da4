using Concord.Sync.Inbox;
using Microsoft.Extensions.Time.Testing;

namespace Concord.StoreContracts.Tests;

/// <summary>The webhook inbox contract, run against each implementation by a subclass (in memory, SQLite; PostgreSQL to follow).</summary>
public abstract class WebhookInboxContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>A new, empty inbox.</summary>
    protected abstract IWebhookInbox CreateInbox();

    /// <summary>Another handle on the same inbox (another process, as far as the store can tell); the same instance for an in-memory inbox.</summary>
    protected abstract IWebhookInbox Reopen(IWebhookInbox inbox);

    [Fact]
    public async Task Add_stores_new_entries_and_ignores_a_key_already_present_for_the_same_sender()
    {
        var inbox = CreateInbox();

        Assert.Equal(2, await inbox.AddAsync([Entry("hubspot", "k-1"), Entry("hubspot", "k-2")]));
        Assert.Equal(1, await inbox.AddAsync([Entry("hubspot", "k-2", payload: "retry"), Entry("hubspot", "k-3")]));
        Assert.Equal(1, await inbox.AddAsync([Entry("zendesk", "k-1")])); // keys are per sender

        var pending = await inbox.ReadPendingAsync("hubspot", 10);
        Assert.Equal(["k-1", "k-2", "k-3"], pending.Select(e => e.Key));
        Assert.Equal("{}", pending[1].Payload); // the first delivery's, not the retry's
        Assert.Single(await inbox.ReadPendingAsync("zendesk", 10));
    }

    [Fact]
    public async Task Pending_entries_come_back_in_the_order_received_up_to_max_with_every_field()
    {
        var inbox = CreateInbox();
        var full = Entry("hubspot", "k-1") with
        {
            EventType = "company.propertyChange",
            ObjectType = "company",
            ObjectId = "101",
            OccurredAt = T0.AddSeconds(-3),
            ChangeSource = "CRM",
            Payload = """{"eventId":1}""",
        };
        await inbox.AddAsync([full, Entry("hubspot", "k-2")]);
        await inbox.AddAsync([Entry("hubspot", "k-0")]);

        Assert.Equal(["k-1", "k-2"], (await inbox.ReadPendingAsync("hubspot", 2)).Select(e => e.Key));
        Assert.Equal(full, (await inbox.ReadPendingAsync("hubspot", 1))[0]);
        Assert.Equal("k-0", (await inbox.ReadPendingAsync("hubspot", 10))[2].Key);
    }

    [Fact]
    public async Task Completed_entries_leave_the_pending_list_but_still_deduplicate_retries()
    {
        var inbox = CreateInbox();
        await inbox.AddAsync([Entry("hubspot", "k-1"), Entry("hubspot", "k-2")]);

        await inbox.CompleteAsync("hubspot", ["k-1"]);

        Assert.Equal(["k-2"], (await inbox.ReadPendingAsync("hubspot", 10)).Select(e => e.Key));
        Assert.Equal(0, await inbox.AddAsync([Entry("hubspot", "k-1")]));
        Assert.Equal(["k-2"], (await inbox.ReadPendingAsync("hubspot", 10)).Select(e => e.Key));
    }

    [Fact]
    public async Task What_add_returned_for_is_there_for_another_handle()
    {
        var inbox = CreateInbox();
        await inbox.AddAsync([Entry("odoo", "k-1")]);

        var other = Reopen(inbox);

        Assert.Equal("k-1", Assert.Single(await other.ReadPendingAsync("odoo", 10)).Key);
        Assert.Equal(0, await other.AddAsync([Entry("odoo", "k-1")]));
    }

    private WebhookInboxEntry Entry(string sender, string key, string payload = "{}") =>
        new() { Sender = sender, Key = key, ReceivedAt = Clock.GetUtcNow(), Payload = payload };
}
