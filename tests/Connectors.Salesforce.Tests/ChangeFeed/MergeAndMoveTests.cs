using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>A merged Account is a merge into its survivor, not a deletion; a Contact that moves leaves its old customer.</summary>
public sealed class MergeAndMoveTests : SimulatedFeedTests
{
    [Fact]
    public async Task A_merged_account_comes_out_as_a_merge_into_its_survivor_not_a_deletion()
    {
        var loser = Sim.SeedAccount("m-1", "Acme (duplicate)");
        Sim.SeedContact(loser, "m-1-c1", "Hopper");
        var survivor = Sim.SeedAccount("m-2", "Acme");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.MergeRecords(survivor, loser);
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);

        var merge = Assert.Single(after, c => c.ExternalId == loser);
        Assert.Equal(ChangeKind.Merged, merge.Kind);
        Assert.Equal(survivor, merge.MergedIntoExternalId);
        // The survivor changed and so did the contacts it took over: it may come once for each, the last one complete.
        var kept = after.Last(c => c.ExternalId == survivor);
        Assert.All(after.Where(c => c.ExternalId == survivor), c => Assert.Equal(ChangeKind.Upserted, c.Kind));
        Assert.Equal("m-1-c1", Assert.Single(kept.Customer!.Contacts).Id); // the loser's contact now belongs to the survivor
        Assert.DoesNotContain(after, c => c.Kind == ChangeKind.Deleted);
    }

    [Fact]
    public async Task A_contact_moved_to_another_account_leaves_the_old_customer()
    {
        var from = Sim.SeedAccount("mv-1", "From");
        var moving = Sim.SeedContact(from, "mv-1-c1", "Hopper");
        Sim.SeedContact(from, "mv-1-c2", "Lovelace");
        var to = Sim.SeedAccount("mv-2", "To");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.EditRecord(moving, new Dictionary<string, object?> { ["AccountId"] = to });
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);
        var again = await ReadAsync(sf.Connector, after[^1].Cursor);

        Assert.Equal(["mv-1-c2"], Assert.Single(after, c => c.ExternalId == from).Customer!.Contacts.Select(c => c.Id));
        Assert.Equal(["mv-1-c1"], Assert.Single(after, c => c.ExternalId == to).Customer!.Contacts.Select(c => c.Id));
        Assert.Empty(again);
    }

    [Fact]
    public async Task After_a_restart_a_contact_moved_to_another_account_leaves_the_old_customer()
    {
        var from = Sim.SeedAccount("rs-1", "From");
        var moving = Sim.SeedContact(from, "rs-1-c1", "Hopper");
        Sim.SeedContact(from, "rs-1-c2", "Lovelace");
        var to = Sim.SeedAccount("rs-2", "To");
        var durable = new InMemoryConnectorStateStore(); // the host's durable store, outliving both processes
        ChangeCursor cursor;
        await using (var before = Sim.CreateConnector(services: s => UseClockAnd(s, durable)))
        {
            cursor = (await ReadAsync(before.Connector, null))[^1].Cursor;
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        Sim.EditRecord(moving, new Dictionary<string, object?> { ["AccountId"] = to });
        await using var restarted = Sim.CreateConnector(services: s => UseClockAnd(s, durable));
        var after = await ReadAsync(restarted.Connector, cursor);

        Assert.Equal(["rs-1-c2"], Assert.Single(after, c => c.ExternalId == from).Customer!.Contacts.Select(c => c.Id));
        Assert.Equal(["rs-1-c1"], Assert.Single(after, c => c.ExternalId == to).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task A_contact_detached_from_its_account_leaves_the_old_customer()
    {
        var from = Sim.SeedAccount("dt-1", "From");
        var leaving = Sim.SeedContact(from, "dt-1-c1", "Hopper");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.EditRecord(leaving, new Dictionary<string, object?> { ["AccountId"] = null });
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);

        var change = Assert.Single(after);
        Assert.Equal(from, change.ExternalId);
        Assert.Empty(change.Customer!.Contacts);
    }

    private void UseClockAnd(IServiceCollection services, IConnectorStateStore state) => UseClock(services.AddSingleton(state));
}
