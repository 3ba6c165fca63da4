using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>A merged Account is a merge into its survivor, not a deletion; a Contact that moves leaves its old customer.</summary>
public sealed class MergeAndMoveTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly SalesforceSimulator _sim;

    public MergeAndMoveTests()
    {
        _sim = new SalesforceSimulator(new SalesforceSimulatorOptions { TimeProvider = _clock });
    }

    [Fact]
    public async Task A_merged_account_comes_out_as_a_merge_into_its_survivor_not_a_deletion()
    {
        var loser = _sim.SeedAccount("m-1", "Acme (duplicate)");
        _sim.SeedContact(loser, "m-1-c1", "Hopper");
        var survivor = _sim.SeedAccount("m-2", "Acme");
        await using var sf = _sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        _clock.Advance(TimeSpan.FromMinutes(1));

        _sim.MergeRecords(survivor, loser);
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
        var from = _sim.SeedAccount("mv-1", "From");
        var moving = _sim.SeedContact(from, "mv-1-c1", "Hopper");
        _sim.SeedContact(from, "mv-1-c2", "Lovelace");
        var to = _sim.SeedAccount("mv-2", "To");
        await using var sf = _sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        _clock.Advance(TimeSpan.FromMinutes(1));

        _sim.EditRecord(moving, new Dictionary<string, object?> { ["AccountId"] = to });
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);
        var again = await ReadAsync(sf.Connector, after[^1].Cursor);

        Assert.Equal(["mv-1-c2"], Assert.Single(after, c => c.ExternalId == from).Customer!.Contacts.Select(c => c.Id));
        Assert.Equal(["mv-1-c1"], Assert.Single(after, c => c.ExternalId == to).Customer!.Contacts.Select(c => c.Id));
        Assert.Empty(again);
    }

    [Fact]
    public async Task After_a_restart_a_contact_moved_to_another_account_leaves_the_old_customer()
    {
        var from = _sim.SeedAccount("rs-1", "From");
        var moving = _sim.SeedContact(from, "rs-1-c1", "Hopper");
        _sim.SeedContact(from, "rs-1-c2", "Lovelace");
        var to = _sim.SeedAccount("rs-2", "To");
        var durable = new InMemoryConnectorStateStore(); // the host's durable store, outliving both processes
        ChangeCursor cursor;
        await using (var before = _sim.CreateConnector(services: s => UseClockAnd(s, durable)))
        {
            cursor = (await ReadAsync(before.Connector, null))[^1].Cursor;
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        _sim.EditRecord(moving, new Dictionary<string, object?> { ["AccountId"] = to });
        await using var restarted = _sim.CreateConnector(services: s => UseClockAnd(s, durable));
        var after = await ReadAsync(restarted.Connector, cursor);

        Assert.Equal(["rs-1-c2"], Assert.Single(after, c => c.ExternalId == from).Customer!.Contacts.Select(c => c.Id));
        Assert.Equal(["rs-1-c1"], Assert.Single(after, c => c.ExternalId == to).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task A_contact_detached_from_its_account_leaves_the_old_customer()
    {
        var from = _sim.SeedAccount("dt-1", "From");
        var leaving = _sim.SeedContact(from, "dt-1-c1", "Hopper");
        await using var sf = _sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        _clock.Advance(TimeSpan.FromMinutes(1));

        _sim.EditRecord(leaving, new Dictionary<string, object?> { ["AccountId"] = null });
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);

        var change = Assert.Single(after);
        Assert.Equal(from, change.ExternalId);
        Assert.Empty(change.Customer!.Contacts);
    }

    public void Dispose() => _sim.Dispose();

    private void UseClock(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    private void UseClockAnd(IServiceCollection services, IConnectorStateStore state) => UseClock(services.AddSingleton(state));

    private static async Task<List<CustomerChange>> ReadAsync(ISalesforceConnector connector, ChangeCursor? from)
    {
        var changes = new List<CustomerChange>();
        await foreach (var change in connector.ReadChangesAsync(from))
        {
            changes.Add(change);
        }

        return changes;
    }
}
