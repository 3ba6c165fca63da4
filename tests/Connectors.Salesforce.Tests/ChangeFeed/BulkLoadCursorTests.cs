using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>
/// A bulk load writes thousands of rows within the overlap, many with one <c>SystemModstamp</c>: the cursor must stay
/// short (the window remembers a bounded number of rows) and a read resumed from any of its cursors must lose no row.
/// </summary>
public sealed class BulkLoadCursorTests : SimulatedFeedTests
{
    private const int FeedWindowCapacityAndMore = 400;

    [Fact]
    public async Task A_bulk_load_inside_the_overlap_keeps_every_cursor_short_and_the_feed_exact()
    {
        SeedAccounts(3000, perSecond: 100); // 30 seconds of writes, well inside the 5-minute overlap
        await using var sf = Sim.CreateConnector(o => o.QueryPageSize = 2000, services: UseClock);

        var load = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var edited = Sim.AccountsWithExternalId("feed-42").Single().Id;
        Sim.EditRecord(edited, new Dictionary<string, object?> { ["Name"] = "Edited after the load" });
        var after = await ReadAsync(sf.Connector, load[^1].Cursor);

        Assert.Equal(3000, load.Select(c => c.ExternalId).Distinct().Count());
        var longest = load.Max(c => c.Cursor!.Value.Length);
        Assert.True(longest <= 16_000, $"the longest cursor of the load has {longest} characters");
        Assert.Equal([edited], after.Select(c => c.ExternalId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task Resuming_inside_one_second_of_a_bulk_load_loses_no_row_and_repeats_none(int overlapSeconds)
    {
        SeedAccounts(2500, perSecond: 2500); // every row with the same SystemModstamp
        Clock.Advance(TimeSpan.FromMinutes(10)); // the connector reads once the overlap has passed on its clock
        await using var sf = Sim.CreateConnector(
            o =>
            {
                o.QueryPageSize = 200;
                o.ChangeFeedOverlap = TimeSpan.FromSeconds(overlapSeconds);
            },
            services: UseClock);

        var first = new List<CustomerChange>();
        await foreach (var change in sf.Connector.ReadChangesAsync(null))
        {
            first.Add(change);
            if (first.Count == 2100)
            {
                break;
            }
        }

        var rest = await ReadAsync(sf.Connector, first[^1].Cursor);

        Assert.Equal(400, rest.Count);
        Assert.Empty(first.Select(c => c.ExternalId).Intersect(rest.Select(c => c.ExternalId)));
        Assert.Equal(2500, first.Concat(rest).Select(c => c.ExternalId).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task A_row_edited_in_the_same_second_as_a_bulk_load_the_feed_has_read_is_read_again(int overlapSeconds)
    {
        // More rows in one second than the window holds, read while that second is still going on: an edit later in the
        // same second gives a row of a lower id the same SystemModstamp, so no keyset inside that second may stand as the horizon.
        SeedAccounts(FeedWindowCapacityAndMore, perSecond: FeedWindowCapacityAndMore);
        await using var sf = Sim.CreateConnector(o => { o.QueryPageSize = 200; o.ChangeFeedOverlap = TimeSpan.FromSeconds(overlapSeconds); }, services: UseClock);
        var load = await ReadAsync(sf.Connector, null);

        Clock.Advance(TimeSpan.FromMilliseconds(300)); // still the same second
        var first = Sim.AccountsWithExternalId("feed-0").Single().Id;
        Sim.EditRecord(first, new Dictionary<string, object?> { ["Name"] = "Edited in the same second" });
        var after = await ReadAsync(sf.Connector, load[^1].Cursor);

        Assert.Equal(FeedWindowCapacityAndMore, load.Count);
        Assert.Equal([first], after.Select(c => c.ExternalId));
    }
}
