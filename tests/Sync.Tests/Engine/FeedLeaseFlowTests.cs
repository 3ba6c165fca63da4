using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>One reader per change feed across instances: the feed lease, its fencing token and its expiry, as a flow sees them.</summary>
public sealed class FeedLeaseFlowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_second_instance_reads_nothing_while_the_first_holds_the_feed()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        Emit(crm, 0, 3);

        var read = await first.Flow().RunOnceAsync();
        Emit(crm, 3, 2);
        var skipped = await second.Flow().RunOnceAsync();
        var again = await first.Flow().RunOnceAsync();

        Assert.Equal((3, 0, 2), (read.Read, skipped.Read, again.Read));
        Assert.False(skipped.Stopped);
        Assert.True(skipped.FeedHeldElsewhere);
        Assert.False(again.FeedHeldElsewhere);
        Assert.Equal(5, erp.Records.Count);
        Assert.Equal(1, (await first.FeedLeases.GetAsync("flow", "crm"))!.Token);
    }

    [Fact]
    public async Task A_dead_holders_lease_expires_and_another_instance_resumes_from_the_committed_cursor()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        Emit(crm, 0, 3);
        await first.Flow().RunOnceAsync(); // then the first instance dies holding the lease

        Emit(crm, 3, 2);
        var whileHeld = await second.Flow().RunOnceAsync();
        first.Time.Advance(Lease); // the lease store's clock
        var resumed = await second.Flow().RunOnceAsync();

        Assert.Equal(0, whileHeld.Read);
        Assert.Equal(2, resumed.Read); // from the committed cursor, not from the start
        Assert.Equal(5, erp.Records.Count);
        Assert.Equal(5, erp.RecordsWritten);
        Assert.Equal("5", (await second.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        Assert.Equal(2, (await second.FeedLeases.GetAsync("flow", "crm"))!.Token);
    }

    [Fact]
    public async Task An_instance_that_stops_gives_the_feed_back_and_the_next_one_reads_it_at_once()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        Emit(crm, 0, 3);
        await first.Flow().RunOnceAsync();

        Emit(crm, 3, 2);
        await ((IAsyncDisposable)first.Runner).DisposeAsync(); // as the host's container does when it stops
        var next = await second.Flow().RunOnceAsync();

        Assert.Equal(2, next.Read);
        Assert.False(next.FeedHeldElsewhere);
        Assert.Equal(2, (await second.FeedLeases.GetAsync("flow", "crm"))!.Token);
    }

    [Fact]
    public async Task A_reader_whose_lease_is_taken_over_mid_page_cannot_checkpoint_and_stops_reading()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var harness = Instance(null, crm, erp, pageSize: 2);
        Emit(crm, 0, 4);
        var takenOver = false;
        erp.BeforeUpsert = async (_, ct) =>
        {
            if (!takenOver)
            {
                // While the first page is being written, another instance takes the feed over (as after a stall that
                // outlasted the lease; the lease is released here, since advancing the clock would let this instance renew it).
                takenOver = true;
                await harness.FeedLeases.ReleaseAsync((await harness.FeedLeases.GetAsync("flow", "crm", ct))!, ct);
                Assert.NotNull(await harness.FeedLeases.TryAcquireAsync("flow", "crm", "other-instance", Lease, ct));
            }
        };

        var run = await harness.Flow().RunOnceAsync();

        Assert.True(run.Stopped);
        Assert.Equal(ErrorCategory.Conflict, run.StopCategory);
        Assert.Contains("lease on the crm change feed was taken over", run.StopReason, StringComparison.Ordinal);
        Assert.Equal(2, run.Read); // no page after the refused one
        Assert.Null(await harness.Cursors.GetAsync("flow", "crm"));
        Assert.Empty(await harness.IdentityMap.ResolveAsync([.. erp.Records.Keys.Select(id => new ExternalRef("erp", id))]));

        harness.Time.Advance(Lease); // the other instance dies too: this one takes the feed back and reads it again
        var retry = await harness.Flow().RunOnceAsync();

        Assert.False(retry.Stopped);
        Assert.Equal("4", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        Assert.Equal(4, erp.Records.Count);
        Assert.Equal(3, (await harness.FeedLeases.GetAsync("flow", "crm"))!.Token);
    }

    [Fact]
    public void A_feed_lease_shorter_than_a_second_fails_at_start_naming_the_option()
    {
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp").Configure(o => o.FeedLease = TimeSpan.FromMilliseconds(500))),
            null,
            new FakeCustomerConnector("crm"),
            new FakeCustomerConnector("erp"));

        var error = Assert.Throws<OptionsValidationException>(() => harness.Runner);

        Assert.Contains("Flow 'flow': FlowOptions.FeedLease must be between one second and one hour", error.Message, StringComparison.Ordinal);
    }

    private static EngineHarness Instance(EngineHarness? sharing, FakeCustomerConnector crm, FakeCustomerConnector erp, int pageSize = 500) =>
        new(c => c.AddFlow("flow", f => f.From("crm").To("erp").Configure(o => { o.FeedLease = Lease; o.PageSize = pageSize; })), sharing?.SharedState, crm, erp);

    private static void Emit(FakeCustomerConnector crm, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }
    }
}
