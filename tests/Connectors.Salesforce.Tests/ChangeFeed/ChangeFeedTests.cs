using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

public sealed class ChangeFeedTests : SimulatedFeedTests
{
    [Fact]
    public async Task Records_across_pages_with_many_equal_SystemModstamps_come_out_exactly_once_in_order()
    {
        SeedAccounts(2500, perSecond: 100);
        await using var sf = Sim.CreateConnector(o => o.QueryPageSize = 200);

        var changes = await ReadAsync(sf.Connector, null);

        Assert.Equal(2500, changes.Count);
        Assert.Equal(2500, changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.All(changes, c => Assert.Equal(ChangeKind.Upserted, c.Kind));
        Assert.Equal(changes.OrderBy(c => c.ModifiedAt).ThenBy(c => c.ExternalId, StringComparer.Ordinal).Select(c => c.ExternalId), changes.Select(c => c.ExternalId));
        Assert.True(Sim.Journal.Where(e => e.Path.Contains("/query/", StringComparison.Ordinal)).Count >= 12, "paged through nextRecordsUrl");
    }

    [Fact]
    public async Task Resuming_from_a_cursor_inside_a_group_of_equal_stamps_skips_nothing_and_repeats_nothing()
    {
        SeedAccounts(2500, perSecond: 100);
        await using var sf = Sim.CreateConnector(o => o.QueryPageSize = 200);

        var first = new List<CustomerChange>();
        await foreach (var change in sf.Connector.ReadChangesAsync(null))
        {
            first.Add(change);
            if (first.Count == 1234)
            {
                break; // stops in the middle of the 13th second's 100 equal stamps
            }
        }

        var rest = await ReadAsync(sf.Connector, first[^1].Cursor);

        Assert.Equal(2500 - 1234, rest.Count);
        Assert.Empty(first.Select(c => c.ExternalId).Intersect(rest.Select(c => c.ExternalId)));
        Assert.Equal(2500, first.Concat(rest).Select(c => c.ExternalId).Distinct().Count());
    }

    [Fact]
    public async Task Default_page_size_reads_contacts_of_2000_accounts_without_an_over_long_uri()
    {
        for (var i = 0; i < 2000; i++)
        {
            var account = Sim.SeedAccount(string.Create(CultureInfo.InvariantCulture, $"big-{i}"), string.Create(CultureInfo.InvariantCulture, $"Big {i}"));
            Sim.SeedContact(account, string.Create(CultureInfo.InvariantCulture, $"big-{i}-c1"), "Hopper");
        }

        await using var sf = Sim.CreateConnector();

        var changes = await ReadAsync(sf.Connector, null);

        Assert.Equal(2000, changes.Count);
        Assert.All(changes, c => Assert.Single(c.Customer!.Contacts));
        Assert.All(Sim.Journal.Where(e => e.Path.Contains("/query", StringComparison.Ordinal)), e => Assert.True(e.StatusCode < 400, $"query answered {e.StatusCode}"));
    }

    [Fact]
    public async Task Deleted_account_comes_out_as_a_deletion()
    {
        var id = Sim.SeedAccount("del-1", "To delete");
        await using var sf = Sim.CreateConnector();
        var before = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Sim.DeleteRecord(id);
        var after = await ReadAsync(sf.Connector, before[^1].Cursor);

        var deletion = Assert.Single(after);
        Assert.Equal(ChangeKind.Deleted, deletion.Kind);
        Assert.Equal(id, deletion.ExternalId);
        Assert.Equal(Clock.GetUtcNow(), deletion.ModifiedAt);
        Assert.Contains(Sim.Journal.Entries, e => e.Path.EndsWith("/queryAll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edited_account_comes_again_after_the_cursor_with_its_contacts()
    {
        var id = Sim.SeedAccount("edit-1", "Before");
        Sim.SeedContact(id, "edit-1-c1", "Hopper", new Dictionary<string, object?> { ["FirstName"] = "Grace", ["Email"] = "Grace@Navy.example" });
        Sim.SeedAccount("other-1", "Other");
        await using var sf = Sim.CreateConnector();
        var before = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.EditRecord(id, new Dictionary<string, object?> { ["Name"] = "After" });
        var after = await ReadAsync(sf.Connector, before[^1].Cursor);

        var change = Assert.Single(after);
        Assert.Equal(ChangeKind.Upserted, change.Kind);
        Assert.Equal("After", change.Customer!.Name);
        Assert.Equal("edit-1", change.Customer.Provenance.CanonicalId);
        var contact = Assert.Single(change.Customer.Contacts);
        Assert.Equal("edit-1-c1", contact.Id);
        Assert.Equal("grace@navy.example", contact.Emails[0].Address); // normalised on read
        Assert.Equal(Clock.GetUtcNow(), change.Customer.Provenance.SourceModifiedAt);
    }

    [Fact]
    public async Task Contact_only_edit_comes_out_once_as_a_change_of_its_account()
    {
        var acme = Sim.SeedAccount("acme-1", "Acme");
        var grace = Sim.SeedContact(acme, "acme-1-c1", "Hopper");
        Sim.SeedContact(acme, "acme-1-c2", "Lovelace");
        var other = Sim.SeedAccount("other-1", "Other");
        Sim.SeedContact(other, "other-1-c1", "Turing");
        await using var sf = Sim.CreateConnector();
        var first = await ReadAsync(sf.Connector, null);
        Assert.Equal(2, first.Count); // a first read does not repeat accounts for their contacts
        Clock.Advance(TimeSpan.FromMinutes(1));

        Sim.EditRecord(grace, new Dictionary<string, object?> { ["Title"] = "Rear Admiral" });
        Sim.DeleteRecord(Sim.Contacts.Single(c => c["Concord_Id__c"] == "acme-1-c2").Id);
        var after = await ReadAsync(sf.Connector, first[^1].Cursor);
        var again = await ReadAsync(sf.Connector, after[^1].Cursor);

        var change = Assert.Single(after);
        Assert.Equal(acme, change.ExternalId);
        Assert.Equal(ChangeKind.Upserted, change.Kind);
        Assert.Equal("acme-1-c1", Assert.Single(change.Customer!.Contacts).Id); // the deleted contact is gone
        Assert.Empty(again);
    }

    [Fact]
    public async Task Change_query_re_reads_the_overlap_before_the_newest_stamp_in_SystemModstamp_and_Id_order()
    {
        Sim.SeedAccount("q-1", "Q");
        await using var sf = Sim.CreateConnector(o => o.ChangeFeedOverlap = TimeSpan.FromMinutes(3), services: UseClock);
        var first = await ReadAsync(sf.Connector, null);

        var again = await ReadAsync(sf.Connector, first[^1].Cursor);

        Assert.Empty(again); // the row the overlap reads again was emitted already
        var soql = Sim.Journal.Where(e => e.Path.EndsWith("/queryAll", StringComparison.Ordinal) && e.Query["q"].Contains("FROM Account", StringComparison.Ordinal))[^1].Query["q"];
        Assert.StartsWith("SELECT Id, Name, ", soql, StringComparison.Ordinal);
        Assert.Contains("WHERE SystemModstamp > 2026-11-23T09:57:00.000Z", soql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY SystemModstamp ASC, Id ASC", soql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_that_commits_late_with_a_SystemModstamp_older_than_the_cursor_is_not_lost()
    {
        var early = Sim.SeedAccount("late-0", "Early");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var transaction = Sim.BeginTransaction();                            // 10:00:00, still running
        var late = transaction.SeedAccount("late-1", "Late");
        transaction.EditRecord(early, new Dictionary<string, object?> { ["Name"] = "Early, edited late" });
        Clock.Advance(TimeSpan.FromSeconds(30));
        var other = Sim.SeedAccount("late-2", "Committed first");             // 10:00:30
        var first = await ReadAsync(sf.Connector, null);                      // cursor past 10:00:30
        transaction.Commit();                                                 // visible now, stamped 10:00:00
        Clock.Advance(TimeSpan.FromSeconds(10));

        var second = await ReadAsync(sf.Connector, first[^1].Cursor);
        var third = await ReadAsync(sf.Connector, second[^1].Cursor);

        Assert.Equal([early, other], first.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.Equal([early, late], second.Select(c => c.ExternalId).Order(StringComparer.Ordinal)); // 'other' is not repeated
        Assert.Equal("Early, edited late", second.Single(c => c.ExternalId == early).Customer!.Name);
        Assert.Empty(third);
    }

    [Fact]
    public async Task A_contact_that_commits_late_brings_its_account_again()
    {
        var acme = Sim.SeedAccount("acme-1", "Acme");
        Sim.SeedContact(acme, "acme-1-c1", "Hopper");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        var transaction = Sim.BeginTransaction();
        transaction.SeedContact(acme, "acme-1-c2", "Lovelace");
        Clock.Advance(TimeSpan.FromSeconds(20));
        Sim.EditRecord(Sim.Contacts[0].Id, new Dictionary<string, object?> { ["Title"] = "Admiral" });
        var second = await ReadAsync(sf.Connector, first[^1].Cursor);
        transaction.Commit();

        var third = await ReadAsync(sf.Connector, second[^1].Cursor);

        Assert.Single(Assert.Single(second).Customer!.Contacts);
        Assert.Equal(["acme-1-c1", "acme-1-c2"], Assert.Single(third).Customer!.Contacts.Select(c => c.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_change_older_than_the_overlap_is_outside_the_window_the_feed_re_reads()
    {
        var early = Sim.SeedAccount("old-0", "Early");
        await using var sf = Sim.CreateConnector(o => o.ChangeFeedOverlap = TimeSpan.FromMinutes(1), services: UseClock);
        var transaction = Sim.BeginTransaction();
        transaction.EditRecord(early, new Dictionary<string, object?> { ["Name"] = "Too late" });
        Clock.Advance(TimeSpan.FromMinutes(2));
        Sim.SeedAccount("old-1", "Newer");
        var first = await ReadAsync(sf.Connector, null);
        transaction.Commit();

        var second = await ReadAsync(sf.Connector, first[^1].Cursor);

        // The documented bound: a commit later than ChangeFeedOverlap is not seen by the feed (reconciliation finds it).
        Assert.Empty(second);
    }

    [Fact]
    public async Task A_cursor_from_elsewhere_is_refused_as_validation()
    {
        await using var sf = Sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => ReadAsync(sf.Connector, new ChangeCursor("odoo:42")));

        Assert.Equal(ErrorCategory.Validation, error.Category);
    }
}
