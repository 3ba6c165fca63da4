using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Odoo.Tests.ChangeFeed;

/// <summary>
/// Issue 13 §1, what a real Odoo 18.0 exposed: every checkpointed cursor resumes, a second write in the same second is
/// delivered, deleted and moved children come out as their company, each changed customer comes out once per poll,
/// and the cursor stays within kilobytes whatever the partner count and id gaps.
/// </summary>
public sealed class ChangeFeedDeliveryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 100, TimeSpan.Zero));

    [Fact]
    public async Task A_cursor_taken_inside_a_poll_that_ends_without_another_change_still_receives_later_writes()
    {
        // Page size 2 and two partners: both changes come from a full page, so the poll goes on to a page with nothing new.
        await using var odoo = Start(pageSize: 2);
        var a = Company("A");
        Company("B");
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromSeconds(2));

        var c = Company("C");
        odoo.Simulator.RenamePartner(a, "A renamed");
        _clock.Advance(TimeSpan.FromSeconds(2));
        var d = Company("D");
        var second = await ReadAllAsync(odoo, first.Cursor);
        var third = await ReadAllAsync(odoo, second.Cursor);

        Assert.Equal(2, first.Changes.Count);
        Assert.Equal(new[] { Id(a), Id(c), Id(d) }.Order(), second.Changes.Select(x => x.ExternalId).Order());
        Assert.Equal("A renamed", second.Changes.Single(x => x.ExternalId == Id(a)).Customer!.Name);
        Assert.Empty(third.Changes);
    }

    [Fact]
    public async Task A_second_write_to_a_partner_in_the_same_second_is_delivered()
    {
        await using var odoo = Start();
        var id = Company("Before");
        var first = await ReadAllAsync(odoo, null);

        // Still 12:00:00 on Odoo's clock: write_date reads back as the same second.
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        odoo.Simulator.RenamePartner(id, "After");
        var second = await ReadAllAsync(odoo, first.Cursor);
        var third = await ReadAllAsync(odoo, second.Cursor);

        Assert.Equal("Before", Assert.Single(first.Changes).Customer!.Name);
        Assert.Equal("After", Assert.Single(second.Changes).Customer!.Name);

        // The engine keys a logical write on the source version: the two versions of one second must differ.
        Assert.NotEqual(first.Changes[0].Customer!.Provenance.SourceVersion, second.Changes[0].Customer!.Provenance.SourceVersion);
        Assert.StartsWith("2026-03-01 12:00:00#", second.Changes[0].Customer!.Provenance.SourceVersion, StringComparison.Ordinal);
        Assert.Empty(third.Changes);
    }

    [Fact]
    public async Task Many_writes_in_one_second_each_come_out_once_and_a_later_write_in_that_second_too()
    {
        await using var odoo = Start(pageSize: 50);
        var ids = Enumerable.Range(0, 300).Select(i => Company($"Same second {i}")).ToList();
        var first = await ReadAllAsync(odoo, null);
        var idle = await ReadAllAsync(odoo, first.Cursor);

        _clock.Advance(TimeSpan.FromMilliseconds(500));
        odoo.Simulator.RenamePartner(ids[150], "Renamed in the same second");
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Equal(300, first.Changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(300, first.Changes.Count);
        Assert.Empty(idle.Changes);
        Assert.Contains(second.Changes, c => c.ExternalId == Id(ids[150]) && c.Customer!.Name == "Renamed in the same second");
    }

    [Fact]
    public async Task A_deleted_contact_or_address_comes_out_as_its_company_without_it()
    {
        await using var odoo = Start();
        var created = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("del-child", withBilling: true)));
        var company = long.Parse(created.ExternalId!, CultureInfo.InvariantCulture);
        var contact = long.Parse(created.ContactExternalIds["del-child-contact-1"], CultureInfo.InvariantCulture);
        var billing = odoo.Simulator.Partners.Single(p => p.ParentId == company && p.Type == "invoice").Id;
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));

        odoo.Simulator.DeletePartner(contact);
        var second = await ReadAllAsync(odoo, first.Cursor);
        odoo.Simulator.DeletePartner(billing);
        var third = await ReadAllAsync(odoo, second.Cursor);
        var fourth = await ReadAllAsync(odoo, third.Cursor);

        var withoutContact = Assert.Single(second.Changes, c => c.Kind == ChangeKind.Upserted);
        Assert.Equal(new[] { Id(contact) }, second.Changes.Where(c => c.Kind == ChangeKind.Deleted).Select(c => c.ExternalId));
        Assert.Equal(created.ExternalId, withoutContact.ExternalId);
        Assert.Equal(["Person 2 of Acme GmbH"], withoutContact.Customer!.Contacts.Select(c => c.Name));
        var withoutBilling = Assert.Single(third.Changes, c => c.Kind == ChangeKind.Upserted);
        Assert.Equal(new[] { Id(billing) }, third.Changes.Where(c => c.Kind == ChangeKind.Deleted).Select(c => c.ExternalId));
        Assert.Null(withoutBilling.Customer!.AddressFor(AddressRole.Billing));
        Assert.Empty(fourth.Changes);
    }

    [Fact]
    public async Task A_contact_moved_to_another_company_comes_out_in_both_companies()
    {
        await using var odoo = Start();
        var from = Company("From");
        var to = Company("To");
        var person = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Moving person", ParentId = from });
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));

        odoo.Simulator.MovePartner(person, to);
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Equal(new[] { Id(from), Id(to) }.Order(), second.Changes.Select(c => c.ExternalId).Order());
        Assert.Empty(second.Changes.Single(c => c.ExternalId == Id(from)).Customer!.Contacts);
        Assert.Equal("Moving person", Assert.Single(second.Changes.Single(c => c.ExternalId == Id(to)).Customer!.Contacts).Name);
    }

    [Fact]
    public async Task A_deleted_company_comes_out_deleted_and_its_detached_contacts_as_customers_of_their_own()
    {
        await using var odoo = Start();
        var company = Company("Gone Ltd");
        var person = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Left behind", ParentId = company });
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));

        odoo.Simulator.DeletePartner(company);
        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Contains(second.Changes, c => c.Kind == ChangeKind.Deleted && c.ExternalId == Id(company));
        Assert.Contains(second.Changes, c => c.Kind == ChangeKind.Upserted && c.ExternalId == Id(person) && c.Customer!.Name == "Left behind");
        Assert.Equal(2, second.Changes.Count);
    }

    [Fact]
    public async Task Sixty_children_deleted_between_two_checks_all_come_out()
    {
        await using var odoo = Start();
        var companies = new List<(long Company, long Contact)>();
        for (var i = 0; i < 60; i++)
        {
            var company = Company($"Company {i}");
            odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"Stays {i}", ParentId = company });
            companies.Add((company, odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"Goes {i}", ParentId = company })));
        }

        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var (_, contact) in companies)
        {
            odoo.Simulator.DeletePartner(contact);
        }

        var second = await ReadAllAsync(odoo, first.Cursor);

        var upserts = second.Changes.Where(c => c.Kind == ChangeKind.Upserted).ToList();
        Assert.Equal(companies.Select(c => Id(c.Company)).Order(), upserts.Select(c => c.ExternalId).Order());
        Assert.All(upserts, c => Assert.Single(c.Customer!.Contacts));
        Assert.Equal(companies.Select(c => Id(c.Contact)).Order(), second.Changes.Where(c => c.Kind == ChangeKind.Deleted).Select(c => c.ExternalId).Order());
    }

    [Fact]
    public async Task Each_changed_company_comes_out_once_per_poll_whatever_the_page_size()
    {
        // Contacts created after all the companies: a company's changed rows lie on several pages of seven.
        await using var odoo = Start(pageSize: 7);
        var companies = Enumerable.Range(0, 50).Select(i => Company($"Company {i}")).ToList();
        for (var round = 0; round < 3; round++)
        {
            foreach (var company in companies)
            {
                odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"Person {round}", ParentId = company });
            }
        }

        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var company in companies.Where((_, i) => i % 2 == 0))
        {
            var contacts = odoo.Simulator.Partners.Where(p => p.ParentId == company).ToList();
            odoo.Simulator.RenamePartner(contacts[0].Id, "Renamed first");
            odoo.Simulator.RenamePartner(contacts[2].Id, "Renamed last");
        }

        var second = await ReadAllAsync(odoo, first.Cursor);

        Assert.Equal(50, first.Changes.Count);
        Assert.Equal(companies.Select(Id).Order(), first.Changes.Select(c => c.ExternalId).Order());
        Assert.Equal(25, second.Changes.Count);
        Assert.Equal(25, second.Changes.Select(c => c.ExternalId).Distinct().Count());
        Assert.All(first.Changes, c => Assert.Equal(3, c.Customer!.Contacts.Length));
    }

    [Fact]
    public async Task A_write_committed_late_with_an_older_write_date_is_delivered()
    {
        await using var odoo = Start();
        var slow = Company("Slow");
        var fast = Company("Fast");
        var first = await ReadAllAsync(odoo, null);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var transaction = odoo.Simulator.BeginTransaction();
        transaction.RenamePartner(slow, "Slow, committed late");
        _clock.Advance(TimeSpan.FromSeconds(60));
        odoo.Simulator.RenamePartner(fast, "Fast, committed at once");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await ReadAllAsync(odoo, first.Cursor);
        transaction.Commit();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var third = await ReadAllAsync(odoo, second.Cursor);

        Assert.Equal("Fast, committed at once", Assert.Single(second.Changes).Customer!.Name);
        var late = Assert.Single(third.Changes);
        Assert.Equal("Slow, committed late", late.Customer!.Name);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 5, TimeSpan.Zero), late.ModifiedAt);
    }

    [Fact]
    public async Task The_cursor_stays_within_kilobytes_whatever_the_partner_count_and_the_id_gaps()
    {
        await using var odoo = Start();
        var random = new Random(13);
        long? company = null;
        for (var i = 0; i < 15_000; i++)
        {
            if (i % 97 == 0)
            {
                odoo.Simulator.SkipPartnerIds(random.Next(1_000, 1_000_000));
            }

            var id = odoo.Simulator.CreatePartner(i % 3 == 0 || company is null
                ? new OdooPartnerSeed { Name = $"Company {i}", IsCompany = true }
                : new OdooPartnerSeed { Name = $"Person {i}", ParentId = company });
            company = i % 3 == 0 ? id : company;
            _clock.Advance(TimeSpan.FromMilliseconds(3));
        }

        var longest = 0;
        var count = 0;
        ChangeCursor? cursor = null;
        await foreach (var change in odoo.Connector.ReadChangesAsync(null))
        {
            longest = Math.Max(longest, change.Cursor.Value.Length);
            cursor = change.Cursor;
            count++;
        }

        odoo.Simulator.RenamePartner(company!.Value, "Renamed");
        var after = await ReadAllAsync(odoo, cursor);

        Assert.Equal(5_000, count);
        Assert.True(longest <= 12 * 1024, $"The longest cursor has {longest} characters.");
        Assert.Contains(after.Changes, c => c.ExternalId == Id(company.Value) && c.Customer!.Name == "Renamed");
        Assert.True(after.Changes.Count <= 100, $"{after.Changes.Count} changes came out again after one rename.");
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public async Task Whatever_cursor_a_consumer_keeps_it_ends_up_with_what_Odoo_holds(int seed, int checkEvery, int overlapSeconds, bool moves)
    {
        // 60 random edits (new companies and contacts, renames, deleted contacts and companies, contacts moved), each
        // followed by a read the consumer stops after 1 to 5 changes (or reads through), keeping the last cursor; with
        // a window of a few seconds the rows also leave the overlap between reads.
        var random = new Random(seed);
        await using var odoo = Start(pageSize: 3, checkEvery, TimeSpan.FromSeconds(overlapSeconds));
        var seen = new Dictionary<string, CanonicalCustomer>(StringComparer.Ordinal);
        ChangeCursor? cursor = null;
        for (var step = 0; step < 60; step++)
        {
            Mutate(odoo.Simulator, random, moves);
            _clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            var stopAfter = random.Next(0, 6);
            var taken = 0;
            await foreach (var change in odoo.Connector.ReadChangesAsync(cursor))
            {
                Apply(seen, change);
                cursor = change.Cursor;
                if (++taken == stopAfter)
                {
                    break;
                }
            }
        }

        // Enough reads for the check for deletions to come round (every checkEvery polls).
        for (var i = 0; i < checkEvery + 2; i++)
        {
            await foreach (var change in odoo.Connector.ReadChangesAsync(cursor))
            {
                Apply(seen, change);
                cursor = change.Cursor;
            }
        }

        var truth = odoo.Simulator.Partners.Where(p => p.ParentId is null).ToDictionary(p => Id(p.Id), p => p, StringComparer.Ordinal);
        Assert.Equal(truth.Keys.Order(), seen.Keys.Order());
        foreach (var (id, root) in truth)
        {
            Assert.Equal(root.Name, seen[id].Name);
            var children = odoo.Simulator.Partners.Where(p => p.ParentId == root.Id && p.Type == "contact").Select(p => p.Name).Order();
            Assert.Equal(children, seen[id].Contacts.Select(c => c.Name).Order());
        }
    }

    /// <summary>Seeds, checks for deletions every poll or every few, windows of minutes or seconds, contacts moved or not.</summary>
    public static TheoryData<int, int, int, bool> Histories()
    {
        var data = new TheoryData<int, int, int, bool>();
        for (var seed = 1; seed <= 8; seed++)
        {
            data.Add(seed, 1, 300, true);
            data.Add(seed, 1, 2, true);
            data.Add(seed, 3, 5, true);
            data.Add(seed, 4, 2, false);
        }

        return data;
    }

    private void Mutate(OdooSimulator odoo, Random random, bool moves)
    {
        var partners = odoo.Partners;
        var roots = partners.Where(p => p.ParentId is null).ToList();
        var children = partners.Where(p => p.ParentId is not null).ToList();
        switch (random.Next(0, 7))
        {
            case 0 or 1:
                odoo.CreatePartner(new OdooPartnerSeed { Name = $"Company {random.Next()}", IsCompany = true });
                break;
            case 2 when roots.Count > 0:
                odoo.CreatePartner(new OdooPartnerSeed { Name = $"Person {random.Next()}", ParentId = roots[random.Next(roots.Count)].Id });
                break;
            case 3 when partners.Count > 0:
                odoo.RenamePartner(partners[random.Next(partners.Count)].Id, $"Renamed {random.Next()}");
                break;
            case 4 when children.Count > 0:
                odoo.DeletePartner(children[random.Next(children.Count)].Id);
                break;
            case 5 when moves && children.Count > 0 && roots.Count > 1:
                var child = children[random.Next(children.Count)];
                var target = roots[random.Next(roots.Count)];
                if (target.Id != child.Id && target.IsCompany)
                {
                    odoo.MovePartner(child.Id, target.Id);
                }

                break;
            case 6 when roots.Count > 3:
                odoo.DeletePartner(roots[random.Next(roots.Count)].Id);
                break;
            default:
                odoo.CreatePartner(new OdooPartnerSeed { Name = $"Company {random.Next()}", IsCompany = true });
                break;
        }
    }

    private static void Apply(Dictionary<string, CanonicalCustomer> seen, CustomerChange change)
    {
        if (change.Kind == ChangeKind.Deleted)
        {
            seen.Remove(change.ExternalId);
        }
        else
        {
            seen[change.ExternalId] = change.Customer!;
        }
    }

    private long Company(string name)
    {
        var id = _odoo!.Simulator.CreatePartner(new OdooPartnerSeed { Name = name, IsCompany = true });
        return id;
    }

    private OdooFixture? _odoo;

    private OdooFixture Start(int pageSize = 500, int checkEvery = 1, TimeSpan? overlap = null)
    {
        _odoo = OdooFixture.Start(new OdooSimulatorOptions { TimeProvider = _clock }, o =>
        {
            o.PageSize = pageSize;
            o.DeleteCheckEveryPolls = checkEvery;
            o.ChangeOverlap = overlap ?? o.ChangeOverlap;
        });
        return _odoo;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<(List<CustomerChange> Changes, ChangeCursor? Cursor)> ReadAllAsync(OdooFixture odoo, ChangeCursor? from)
    {
        var changes = new List<CustomerChange>();
        var cursor = from;
        await foreach (var change in odoo.Connector.ReadChangesAsync(from))
        {
            changes.Add(change);
            cursor = change.Cursor;
            Assert.True(changes.Count < 20_000);
        }

        return (changes, cursor);
    }
}
