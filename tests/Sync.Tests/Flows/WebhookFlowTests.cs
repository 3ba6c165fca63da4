using Concord.Sync.Flows;
using Concord.Sync.Inbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Sync.Tests.Flows;

/// <summary>Flows declared with OnWebhooks(): inbox entries are hints, their records re-read and handled on the governed path.</summary>
public sealed class WebhookFlowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(Action<FlowBuilder>? configure = null, params string[] senders)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(
            c => c.AddFlow("flow", f =>
            {
                f.From("crm").To("erp").OnWebhooks();
                configure?.Invoke(f);
            }),
            s => s.AddSingleton<IWebhookSenderCatalog>(new SenderCatalog(senders.Length == 0 ? ["crm"] : senders)),
            crm,
            erp);
        return (harness, crm, erp);
    }

    private static IWebhookInbox Inbox(EngineHarness harness) => harness.Services.GetRequiredService<IWebhookInbox>();

    private static WebhookInboxEntry Hint(string key, string objectId, string sender = "crm", string objectType = "company") => new()
    {
        Sender = sender,
        Key = key,
        EventType = objectType + ".propertyChange",
        ObjectType = objectType,
        ObjectId = objectId,
        ReceivedAt = T0,
        Payload = "{}",
    };

    [Fact]
    public async Task An_edit_delivered_by_webhook_reaches_the_target_without_reading_the_change_feed()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001") with { Name = "Edited in the CRM" }, T0);
        await Inbox(harness).AddAsync([Hint("e-1", id)]);

        var summary = await harness.Flow().RunWebhooksAsync();

        Assert.Equal((1, 1), (summary.Read, summary.Created));
        Assert.Equal("Edited in the CRM", Assert.Single(erp.Records.Values).Name);
        Assert.Equal(0, crm.ReadCalls); // no poll: the feed was never read
        Assert.Equal(1, crm.GetManyCalls); // the hinted record re-read in one batch
        Assert.Empty(await Inbox(harness).ReadPendingAsync("crm", 10));
        Assert.Null(await harness.Cursors.GetAsync("flow", "crm")); // hints move no feed cursor
    }

    [Fact]
    public async Task A_crash_between_reading_the_hints_and_committing_loses_nothing_the_hint_stays_pending()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001"), T0);
        await Inbox(harness).AddAsync([Hint("e-1", id)]);
        using var crash = new CancellationTokenSource();
        erp.BeforeUpsert = (_, _) =>
        {
            erp.BeforeUpsert = null;
            crash.Cancel(); // the process dies while the write is under way, before the page's state is committed
            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Flow().RunWebhooksAsync(crash.Token));
        var pendingAfterCrash = await Inbox(harness).ReadPendingAsync("crm", 10);
        var next = await harness.Flow().RunWebhooksAsync();

        Assert.Equal("e-1", Assert.Single(pendingAfterCrash).Key);
        Assert.False(next.Stopped);
        Assert.Single(erp.Records.Values);
        Assert.NotNull((await harness.IdentityMap.ResolveAsync([new Canonical.ExternalRef("erp", erp.Records.Keys.Single())]))
            .GetValueOrDefault(new Canonical.ExternalRef("erp", erp.Records.Keys.Single())));
        Assert.Empty(await Inbox(harness).ReadPendingAsync("crm", 10));
    }

    [Fact]
    public async Task Several_hints_and_redeliveries_for_one_record_are_handled_once()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001"), T0);
        await Inbox(harness).AddAsync([Hint("e-1", id), Hint("e-2", id), Hint("e-3", id)]);
        Assert.Equal(0, await Inbox(harness).AddAsync([Hint("e-2", id)])); // the sender's retry

        var first = await harness.Flow().RunWebhooksAsync();
        var writes = erp.RecordsWritten;
        Assert.Equal(0, await Inbox(harness).AddAsync([Hint("e-3", id)])); // a late duplicate after completion
        var second = await harness.Flow().RunWebhooksAsync();

        Assert.Equal((1, 1), (first.Read, first.Created));
        Assert.Equal(1, writes);
        Assert.Equal(0, second.Read);
        Assert.Equal(1, erp.RecordsWritten);
    }

    [Fact]
    public async Task A_hint_for_a_record_the_source_no_longer_has_is_completed_without_a_write()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        await Inbox(harness).AddAsync([Hint("e-1", "gone")]);

        var summary = await harness.Flow().RunWebhooksAsync();

        Assert.Equal((1, 1), (summary.Read, summary.Skipped));
        Assert.Equal(0, erp.RecordsWritten);
        Assert.Empty(await Inbox(harness).ReadPendingAsync("crm", 10));
    }

    [Fact]
    public async Task A_source_that_cannot_be_read_stops_the_run_and_leaves_the_hints_pending()
    {
        var (harness, crm, _) = Create();
        using var __ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001"), T0);
        await Inbox(harness).AddAsync([Hint("e-1", id)]);
        crm.FailBatchReads(Canonical.Errors.ErrorCategory.Transient);

        var summary = await harness.Flow().RunWebhooksAsync();

        Assert.True(summary.Stopped);
        Assert.Equal(Canonical.Errors.ErrorCategory.Transient, summary.StopCategory);
        Assert.Single(await Inbox(harness).ReadPendingAsync("crm", 10));
    }

    [Fact]
    public async Task A_poll_handles_pending_hints_too_before_the_feed()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001"), T0);
        await Inbox(harness).AddAsync([Hint("e-1", id)]);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(1, summary.Created);
        Assert.Single(erp.Records.Values);
        Assert.Empty(await Inbox(harness).ReadPendingAsync("crm", 10));
    }

    [Fact]
    public async Task Hints_of_another_sender_are_left_alone()
    {
        var (harness, crm, erp) = Create(null, "crm", "crm-eu");
        using var _ = harness;
        var id = crm.Put(Customers.Company(1, taxId: "DE100000001"), T0);
        await Inbox(harness).AddAsync([Hint("e-1", id, sender: "crm-eu")]);

        await harness.Flow().RunWebhooksAsync();

        Assert.Empty(erp.Records);
        Assert.Single(await Inbox(harness).ReadPendingAsync("crm-eu", 10));
    }

    [Fact]
    public void OnWebhooks_keeps_polling_as_the_safety_net_at_a_slower_interval()
    {
        var (harness, _, _) = Create();
        using var __ = harness;

        var options = harness.Flow().Options;

        Assert.True(options.ReactsToWebhooks);
        Assert.Equal(TimeSpan.FromMinutes(15), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.WebhookInterval);
    }

    [Fact]
    public void A_flow_reacting_to_webhooks_without_an_endpoint_for_its_sender_fails_at_start_naming_it()
    {
        var (harness, _, _) = Create(null, "zendesk");
        using var __ = harness;

        var error = Assert.Throws<OptionsValidationException>(() => harness.Runner);

        Assert.Contains("Flow 'flow' reacts to webhooks from 'crm', but no webhook endpoint is registered for that sender (registered: zendesk)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:Senders:crm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_reacting_to_webhooks_without_a_safety_net_poll_fails_at_start()
    {
        var (harness, _, _) = Create(f => f.PollEvery(null));
        using var __ = harness;

        var error = Assert.Throws<OptionsValidationException>(() => harness.Runner);

        Assert.Contains("must keep polling as its safety net: FlowOptions.PollInterval must be set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_about_a_write_Concord_made_itself_does_not_bounce_back()
    {
        var (harness, crm, erp) = CreateBothWays();
        using var _ = harness;
        erp.Emit(Customers.Company(1, taxId: "DE100000001") with { Name = "From the ERP" }, T0, id: "e1");
        await harness.Flow("back").RunOnceAsync(); // Concord creates the CRM record; the CRM announces it by webhook
        var crmId = Assert.Single(crm.Records.Keys);
        await Inbox(harness).AddAsync([Hint("e-1", crmId)]);
        var erpCalls = (erp.GetManyCalls, erp.FindManyCalls, erp.UpsertManyCalls);

        var summary = await harness.Flow().RunWebhooksAsync();

        Assert.Equal((1, 0), (summary.EchoesSuppressed, summary.Read));
        Assert.Equal(erpCalls, (erp.GetManyCalls, erp.FindManyCalls, erp.UpsertManyCalls)); // the ERP is not even read
        Assert.Empty(await Inbox(harness).ReadPendingAsync("crm", 10));
    }

    [Fact]
    public async Task An_edit_made_in_the_source_after_Concord_wrote_there_is_not_taken_for_an_echo()
    {
        var (harness, crm, erp) = CreateBothWays();
        using var _ = harness;
        erp.Emit(Customers.Company(1, taxId: "DE100000001") with { Name = "From the ERP" }, T0, id: "e1");
        await harness.Flow("back").RunOnceAsync();
        var crmId = Assert.Single(crm.Records.Keys);
        crm.Change(crmId, c => c with { Name = "Edited in the CRM", Provenance = c.Provenance with { SourceModifiedAt = T0.AddHours(1) } });
        await Inbox(harness).AddAsync([Hint("e-1", crmId)]);

        var summary = await harness.Flow().RunWebhooksAsync();

        Assert.Equal((0, 1, 1), (summary.EchoesSuppressed, summary.Read, summary.Updated));
        Assert.Equal("Edited in the CRM", erp.Records["e1"].Name);
    }

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) CreateBothWays()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp").OnWebhooks()).AddFlow("back", f => f.From("erp").To("crm")),
            s => s.AddSingleton<IWebhookSenderCatalog>(new SenderCatalog(["crm"])),
            crm,
            erp);
        return (harness, crm, erp);
    }

    private sealed class SenderCatalog(IReadOnlyCollection<string> names) : IWebhookSenderCatalog
    {
        public IReadOnlyCollection<string> Senders => names;
    }
}
