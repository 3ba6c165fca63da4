using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.ChangeFeed;

public sealed class ChangeFeedTests
{
    [Fact]
    public async Task Resuming_from_a_cursor_returns_only_later_changes_although_the_overlap_window_is_re_read()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        await hubspot.Connector.UpsertManyAsync(Customers.Requests(3, contactsEach: 1));
        var first = await ReadAll(hubspot.Connector, null);

        var again = await ReadAll(hubspot.Connector, first[^1].Cursor);
        var renamed = sim.Companies[1].Id;
        sim.Edit(renamed, new Dictionary<string, string> { ["name"] = "Renamed" });
        var after = await ReadAll(hubspot.Connector, first[^1].Cursor);

        Assert.Equal(3, first.Count);
        Assert.Empty(again);
        var change = Assert.Single(after);
        Assert.Equal(renamed, change.ExternalId);
        Assert.Equal("Renamed", change.Customer!.Name);
        var search = sim.Journal.Calls("POST", "/crm/objects/2026-09/companies/search")[^1];
        Assert.Contains("\"operator\":\"GTE\"", search.Body, StringComparison.Ordinal);
        Assert.Contains("\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}]", search.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_not_yet_searchable_is_read_once_the_index_has_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { SearchIndexingDelay = TimeSpan.FromSeconds(30), TimeProvider = clock });
        await using var hubspot = sim.CreateConnector();
        var early = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Early" });
        clock.Advance(TimeSpan.FromSeconds(31));
        var first = await ReadAll(hubspot.Connector, null);
        var late = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Late" });

        var before = await ReadAll(hubspot.Connector, first[^1].Cursor);
        clock.Advance(TimeSpan.FromSeconds(31));
        var after = await ReadAll(hubspot.Connector, first[^1].Cursor);

        Assert.Equal([early], first.Select(c => c.ExternalId));
        Assert.Empty(before);
        Assert.Equal([late], after.Select(c => c.ExternalId));
    }

    [Fact]
    public async Task An_archived_company_comes_out_as_a_deletion_once()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var written = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("gone-1")));
        var first = await ReadAll(hubspot.Connector, null);
        sim.Archive(written.ExternalId!);

        var changes = await ReadAll(hubspot.Connector, first[^1].Cursor);
        var again = await ReadAll(hubspot.Connector, changes[^1].Cursor);

        var deletion = Assert.Single(changes);
        Assert.Equal(ChangeKind.Deleted, deletion.Kind);
        Assert.Equal(written.ExternalId, deletion.ExternalId);
        Assert.Equal("gone-1", deletion.Customer!.Provenance.CanonicalId);
        Assert.Empty(again);
    }

    [Fact]
    public async Task A_merge_comes_out_as_a_merge_of_the_merged_id_into_the_survivor_not_a_deletion()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var written = await hubspot.Connector.UpsertManyAsync(Customers.Requests(2, contactsEach: 1, prefix: "merge"));
        var first = await ReadAll(hubspot.Connector, null);
        sim.Merge(written[0].ExternalId!, written[1].ExternalId!);

        var changes = await ReadAll(hubspot.Connector, first[^1].Cursor);

        Assert.DoesNotContain(changes, c => c.Kind == ChangeKind.Deleted);
        var merged = Assert.Single(changes, c => c.Kind == ChangeKind.Merged);
        Assert.Equal(written[1].ExternalId, merged.ExternalId);
        Assert.Equal(written[0].ExternalId, merged.MergedIntoExternalId);
        Assert.Null(merged.Customer); // HubSpot no longer returns the record merged away
        var survivor = Assert.Single(changes, c => c.Kind == ChangeKind.Upserted);
        Assert.Equal(written[0].ExternalId, survivor.ExternalId);
        Assert.Null(survivor.MergedIntoExternalId);
        Assert.Equal(2, survivor.Customer!.Contacts.Length);
        Assert.True(changes.IndexOf(merged) < changes.IndexOf(survivor));
    }

    [Fact]
    public async Task A_contact_moved_to_another_company_comes_out_under_the_new_one_and_leaves_the_old_one()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var written = await hubspot.Connector.UpsertManyAsync([Customers.Request(Customers.Company("from-1", contacts: 1)), Customers.Request(Customers.Company("to-1"))]);
        var first = await ReadAll(hubspot.Connector, null);
        var contact = written[0].ContactExternalIds["from-1-c1"];
        sim.Disassociate(contact, written[0].ExternalId!);
        sim.Associate(contact, written[1].ExternalId!, primary: true);

        var changes = await ReadAll(hubspot.Connector, first[^1].Cursor);

        var to = changes.Last(c => c.ExternalId == written[1].ExternalId);
        var from = changes.Last(c => c.ExternalId == written[0].ExternalId);
        Assert.Equal([contact], to.Customer!.Contacts.Select(c => c.ExternalRefs[0].Id));
        Assert.Empty(from.Customer!.Contacts);
    }

    [Fact]
    public async Task An_edited_contact_surfaces_as_a_change_of_its_company()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        await using var hubspot = sim.CreateConnector(o => o.ChangeFeedOverlap = TimeSpan.FromSeconds(10));
        var written = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("edit-1", contacts: 1)));
        var first = await ReadAll(hubspot.Connector, null);
        clock.Advance(TimeSpan.FromMinutes(5));
        sim.Edit(written.ContactExternalIds["edit-1-c1"], new Dictionary<string, string> { ["jobtitle"] = "CEO" });

        var changes = await ReadAll(hubspot.Connector, first[^1].Cursor);

        var change = Assert.Single(changes);
        Assert.Equal(written.ExternalId, change.ExternalId);
        Assert.Equal("CEO", change.Customer!.Contacts[0].JobTitle);
    }

    [Fact]
    public async Task More_than_10000_changes_are_all_read_by_restarting_before_the_search_cap()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock, EnforceRateLimits = false });
        await using var hubspot = sim.CreateConnector(o => o.SearchRequestsPerSecond = 5);
        for (var i = 0; i < 10_100; i++)
        {
            sim.SeedCompany(new Dictionary<string, string> { ["name"] = "C" + i.ToString(CultureInfo.InvariantCulture) });
            if (i % 3 == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1)); // three records share each timestamp: ties broken by id
            }
        }

        var changes = await ReadAll(hubspot.Connector, null);

        Assert.Equal(10_100, changes.Count);
        Assert.Equal(10_100, changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(changes.OrderBy(c => c.ModifiedAt).ThenBy(c => long.Parse(c.ExternalId, CultureInfo.InvariantCulture)).Select(c => c.ExternalId), changes.Select(c => c.ExternalId));
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 400);
    }

    [Fact]
    public async Task More_than_10000_changes_on_one_timestamp_are_drained_by_id()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock, EnforceRateLimits = false });
        await using var hubspot = sim.CreateConnector(o => o.SearchRequestsPerSecond = 5);
        for (var i = 0; i < 10_050; i++)
        {
            sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Import " + i.ToString(CultureInfo.InvariantCulture) }); // a bulk import: one timestamp
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var later = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Later" });

        var changes = await ReadAll(hubspot.Connector, null);

        Assert.Equal(10_051, changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(later, changes[^1].ExternalId);
        Assert.Contains(sim.Journal.Entries, e => e.Body?.Contains("\"propertyName\":\"hs_object_id\",\"operator\":\"GT\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_cursor_from_another_connector_is_a_validation_error()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => ReadAll(hubspot.Connector, new ChangeCursor("sf1|-|-|-|-")));

        Assert.Equal(ErrorCategory.Validation, error.Category);
    }

    private static async Task<List<CustomerChange>> ReadAll(ICustomerConnector connector, ChangeCursor? from)
    {
        var changes = new List<CustomerChange>();
        await foreach (var change in connector.ReadChangesAsync(from))
        {
            changes.Add(change);
        }

        return changes;
    }
}
