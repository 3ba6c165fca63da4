using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>
/// Who changed a record and when it was last changed by someone: <c>LastModifiedById</c> tells the integration's own
/// writes from a person's edits, and <c>LastModifiedDate</c>, not <c>SystemModstamp</c>, says how new the values are (a
/// system update moves only <c>SystemModstamp</c>).
/// </summary>
public sealed class EditorTests : SimulatedFeedTests
{
    [Fact]
    public async Task A_change_names_its_editor_a_person_or_the_integration_user()
    {
        var byHand = Sim.SeedAccount("ed-1", "By hand");
        var byIntegration = Sim.SeedAccount("ed-2", "By the integration");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.EditRecord(byHand, new Dictionary<string, object?> { ["Name"] = "Edited by a person" });
        Sim.EditRecord(byIntegration, new Dictionary<string, object?> { ["Name"] = "Edited by the integration" }, SalesforceSimulator.IntegrationUserId);
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);

        Assert.Equal(SalesforceSimulator.HumanEditorId, after.Single(c => c.ExternalId == byHand).Customer!.Provenance.Actor);
        Assert.Equal(SalesforceSimulator.IntegrationUserId, after.Single(c => c.ExternalId == byIntegration).Customer!.Provenance.Actor);
    }

    [Fact]
    public async Task A_system_update_comes_out_with_the_time_and_editor_of_the_last_edit_not_as_a_newer_edit()
    {
        var id = Sim.SeedAccount("sys-1", "Acme");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Sim.EditRecord(id, new Dictionary<string, object?> { ["Name"] = "Acme Ltd" });
        var editedAt = Clock.GetUtcNow();
        var edit = await ReadAsync(sf.Connector, first[^1].Cursor);
        Clock.Advance(TimeSpan.FromHours(1));

        Sim.SystemUpdate(id); // a roll-up recalculation: SystemModstamp moves, LastModifiedDate does not
        var system = await ReadAsync(sf.Connector, edit[^1].Cursor);

        var change = Assert.Single(system);
        Assert.Equal(Clock.GetUtcNow(), change.ModifiedAt); // the feed's position moves on
        Assert.Equal(editedAt, change.Customer!.Provenance.SourceModifiedAt); // the values are as old as the person's edit
        Assert.Equal(SalesforceSimulator.HumanEditorId, change.Customer.Provenance.Actor);
        Assert.Equal("Acme Ltd", change.Customer.Name);
    }
}
