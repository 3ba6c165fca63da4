using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Odoo.Tests.ChangeFeed;

/// <summary>Issue §6 and facts §6: overlap window on write_date, paging by id, dedupe on (id, write_date), deletes.</summary>
public sealed class ChangeFeedTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Partners_written_in_the_same_second_are_each_seen_exactly_once_across_pages()
    {
        await using var odoo = Start(pageSize: 100);
        for (var i = 0; i < 250; i++)
        {
            odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"Same second {i}", IsCompany = true });
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Equal(250, first.Changes.Count);
        Assert.Equal(250, first.Changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.Empty(second.Changes);
        Assert.True(odoo.Simulator.CallCount("res.partner", "search_read") >= 3);
    }

    [Fact]
    public async Task Reading_resumes_from_any_change_cursor_without_loss_or_repeat()
    {
        await using var odoo = Start(pageSize: 10);
        for (var i = 0; i < 25; i++)
        {
            odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"P{i}", IsCompany = true });
        }

        var seen = new List<string>();
        ChangeCursor? cursor = null;
        for (var round = 0; round < 10; round++)
        {
            var taken = 0;
            await foreach (var change in odoo.Connector.ReadChangesAsync(cursor))
            {
                seen.Add(change.ExternalId);
                cursor = change.Cursor;
                if (++taken == 7)
                {
                    break;
                }
            }
        }

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Distinct().Count());
    }

    [Fact]
    public async Task Transaction_that_commits_after_the_poll_started_is_not_lost()
    {
        await using var odoo = Start();
        var late = odoo.Simulator.BeginTransaction();
        var lateId = late.CreatePartner(new OdooPartnerSeed { Name = "Late commit", IsCompany = true });
        _clock.Advance(TimeSpan.FromSeconds(30));
        odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "On time", IsCompany = true });
        _clock.Advance(TimeSpan.FromSeconds(10));

        var first = await ReadAllAsync(odoo, null);
        late.Commit();
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.DoesNotContain(first.Changes, c => c.ExternalId == lateId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var change = Assert.Single(second.Changes);
        Assert.Equal(lateId.ToString(System.Globalization.CultureInfo.InvariantCulture), change.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), change.ModifiedAt);
    }

    [Fact]
    public async Task Archived_partner_comes_out_as_an_upsert_with_archived_status()
    {
        await using var odoo = Start();
        var id = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "To archive", IsCompany = true });
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromSeconds(5));

        odoo.Simulator.ArchivePartner(id);
        var second = await ReadAllAsync(odoo, first.Cursor);

        var change = Assert.Single(second.Changes);
        Assert.Equal(ChangeKind.Upserted, change.Kind);
        Assert.Equal(CustomerStatus.Archived, change.Customer!.Status);
    }

    [Fact]
    public async Task Hard_deleted_partner_comes_out_as_a_deletion()
    {
        await using var odoo = Start();
        var keep = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Keep", IsCompany = true });
        var gone = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Gone", IsCompany = true });
        var first = await ReadAllAsync(odoo, null);

        odoo.Simulator.DeletePartner(gone);
        var second = await ReadAllAsync(odoo, first.Cursor);
        var third = await ReadAllAsync(odoo, second.Cursor);

        var deletion = Assert.Single(second.Changes);
        Assert.Equal(ChangeKind.Deleted, deletion.Kind);
        Assert.Equal(gone.ToString(System.Globalization.CultureInfo.InvariantCulture), deletion.ExternalId);
        Assert.Null(deletion.Customer);
        Assert.Empty(third.Changes);
        Assert.NotNull(odoo.Simulator.Partner(keep));
    }

    [Fact]
    public async Task A_changed_contact_is_reported_as_its_company_tree()
    {
        await using var odoo = Start();
        var created = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("feed-tree")));
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var contactId = long.Parse(created.ContactExternalIds["feed-tree-contact-2"]);
        odoo.Simulator.RenamePartner(contactId, "Renamed person");
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Single(first.Changes);
        var change = Assert.Single(second.Changes);
        Assert.Equal(created.ExternalId, change.ExternalId);
        Assert.Contains(change.Customer!.Contacts, c => c.Name == "Renamed person");
        Assert.Equal(_clock.GetUtcNow(), change.ModifiedAt);
    }

    [Fact]
    public async Task Foreign_cursor_is_a_configuration_error()
    {
        await using var odoo = Start();

        var error = await Assert.ThrowsAsync<ConcordException>(async () => await ReadAllAsync(odoo, new ChangeCursor("salesforce:123")));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
    }

    private OdooFixture Start(int pageSize = 500) =>
        OdooFixture.Start(new OdooSimulatorOptions { TimeProvider = _clock }, o =>
        {
            o.PageSize = pageSize;
            o.DeleteCheckEveryPolls = 1;
        });

    private static async Task<(List<CustomerChange> Changes, ChangeCursor? Cursor)> ReadAllAsync(OdooFixture odoo, ChangeCursor? from)
    {
        var changes = new List<CustomerChange>();
        var cursor = from;
        await foreach (var change in odoo.Connector.ReadChangesAsync(from))
        {
            changes.Add(change);
            cursor = change.Cursor;
            Assert.True(changes.Count < 10_000);
        }

        return (changes, cursor);
    }
}

public sealed class Json2ChangeFeedTests
{
    [Fact]
    public async Task Change_feed_reads_over_json2_on_19()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0", TimeProvider = clock }, o => o.PageSize = 2);
        for (var i = 0; i < 5; i++)
        {
            odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"J{i}", IsCompany = true });
        }

        var changes = new List<CustomerChange>();
        await foreach (var change in odoo.Connector.ReadChangesAsync(null))
        {
            changes.Add(change);
        }

        Assert.Equal(["J0", "J1", "J2", "J3", "J4"], changes.Select(c => c.Customer!.Name));
        Assert.NotEmpty(odoo.Simulator.Journal.Calls("POST", "/json/2/res.partner/search_read"));
        Assert.Empty(odoo.Simulator.Journal.Calls("/jsonrpc"));
    }
}
