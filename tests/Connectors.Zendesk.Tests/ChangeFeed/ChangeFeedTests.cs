using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Canonical.Connectors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Zendesk.Tests.ChangeFeed;

public sealed class ChangeFeedTests
{
    private static async Task<List<CustomerChange>> ReadAsync(ICustomerConnector connector, ChangeCursor? from = null)
    {
        var changes = new List<CustomerChange>();
        await foreach (var change in connector.ReadChangesAsync(from))
        {
            changes.Add(change);
        }

        return changes;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_change_younger_than_a_minute_is_not_read_yet_and_no_start_time_is_younger_than_a_minute()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var old = sim.SeedOrganization("Old", "old");
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        var fresh = sim.SeedOrganization("Fresh", "fresh");

        var tooEarly = await ReadAsync(zendesk.Connector, first[^1].Cursor);
        clock.Advance(TimeSpan.FromSeconds(61));
        var later = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        Assert.Equal([Id(old)], first.Select(c => c.ExternalId));
        Assert.Empty(tooEarly);
        Assert.Equal([Id(fresh)], later.Select(c => c.ExternalId));
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 422);
    }

    [Fact]
    public async Task Records_sharing_the_boundary_second_are_read_once_across_reads_and_resumes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var c = sim.SeedOrganization("C", "c");
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();

        var all = await ReadAsync(zendesk.Connector);
        var afterAll = await ReadAsync(zendesk.Connector, all[^1].Cursor);
        var afterFirst = await ReadAsync(zendesk.Connector, all[0].Cursor);

        Assert.Equal([Id(a), Id(b), Id(c)], all.Select(x => x.ExternalId));
        Assert.Empty(afterAll);
        Assert.Equal([Id(b), Id(c)], afterFirst.Select(x => x.ExternalId));

        // Every export asked for the same start second: the boundary records came back each time and were skipped.
        var starts = sim.Journal.Calls("GET", "/api/v2/incremental/organizations.json").Select(e => e.Query["start_time"]).Distinct().ToList();
        Assert.Equal(2, starts.Count);
    }

    [Fact]
    public async Task A_deleted_organization_comes_out_as_a_deletion()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var id = sim.SeedOrganization("Gone", "gone-1");
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        sim.DeleteOrganization(id);
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        var deletion = Assert.Single(changes);
        Assert.Equal((ChangeKind.Deleted, Id(id)), (deletion.Kind, deletion.ExternalId));
        Assert.Equal("gone-1", deletion.Customer?.Provenance.CanonicalId);
    }

    [Fact]
    public async Task A_deleted_user_comes_out_as_its_organization_without_the_contact()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var org = sim.SeedOrganization("Acme", "acme");
        var ada = sim.SeedUser("Ada", "ada@acme.example", "c-1", org);
        sim.SeedUser("Bob", "bob@acme.example", "c-2", org);
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        sim.DeleteUser(ada);
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        var change = Assert.Single(changes);
        Assert.Equal((ChangeKind.Upserted, Id(org)), (change.Kind, change.ExternalId));
        Assert.Equal(["c-2"], change.Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task A_merged_user_comes_out_as_the_changes_of_both_organizations()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var loser = sim.SeedUser("Ada (old)", "ada@old.example", "c-1", a);
        var winner = sim.SeedUser("Ada", "ada@new.example", "c-2", b);
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        sim.MergeUsers(loser, winner);
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        var upserts = changes.Where(c => c.Kind == ChangeKind.Upserted).ToList();
        Assert.Equal([Id(a), Id(b)], upserts.Select(c => c.ExternalId).Order());
        Assert.Empty(upserts.Single(c => c.ExternalId == Id(a)).Customer!.Contacts);
        Assert.Equal(["c-2"], upserts.Single(c => c.ExternalId == Id(b)).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task A_merged_user_comes_out_as_a_merge_into_the_surviving_user()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var loser = sim.SeedUser("Ada (old)", "ada@old.example", "c-1", a);
        var winner = sim.SeedUser("Ada", "ada@new.example", "c-2", b);
        var deleted = sim.SeedUser("Bob", "bob@a.example", "c-3", a);
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        sim.MergeUsers(loser, winner);
        sim.DeleteUser(deleted);
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        var merge = Assert.Single(changes, c => c.Kind == ChangeKind.Merged);
        Assert.Equal((Id(loser), Id(winner)), (merge.ExternalId, merge.MergedIntoExternalId));

        // A deleted user is no merge: it leaves its organization's contacts, as before.
        Assert.DoesNotContain(changes, c => c.ExternalId == Id(deleted));

        // Resuming after the merge does not announce it again.
        var again = await ReadAsync(zendesk.Connector, merge.Cursor);
        Assert.DoesNotContain(again, c => c.Kind == ChangeKind.Merged);
    }

    [Fact]
    public async Task Moving_a_user_to_another_organization_moves_the_contact_between_customers()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, BulkUserImportEnabled = true, JobQueuedTime = TimeSpan.Zero, JobWorkingTime = TimeSpan.Zero });
        await using var zendesk = sim.CreateConnector();
        var written = await zendesk.Connector.UpsertManyAsync([Customers.Request(Customers.Company("a", contacts: 1)), Customers.Request(Customers.Company("b"))]);
        clock.Advance(TimeSpan.FromMinutes(2));
        var first = await ReadAsync(zendesk.Connector);
        var user = Assert.Single(sim.UsersWithExternalId("a-c1"));
        sim.EditUser(user.Id, new JsonObject { ["organization_id"] = long.Parse(written[1].ExternalId!, CultureInfo.InvariantCulture) });
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        Assert.Empty(changes.Single(c => c.ExternalId == written[0].ExternalId).Customer!.Contacts);
        Assert.Equal(["a-c1"], changes.Single(c => c.ExternalId == written[1].ExternalId).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task After_a_restart_a_user_moved_to_another_organization_leaves_the_old_customer_and_joins_the_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var ada = sim.SeedUser("Ada", "ada@a.example", "c-1", a);
        sim.SeedUser("Bob", "bob@a.example", "c-2", a);
        clock.Advance(TimeSpan.FromMinutes(2));
        var durable = new InMemoryConnectorStateStore(); // the host's durable store, outliving both processes
        ChangeCursor cursor;
        await using (var before = sim.CreateConnector(services: s => s.AddSingleton<IConnectorStateStore>(durable)))
        {
            cursor = (await ReadAsync(before.Connector))[^1].Cursor;
        }

        sim.EditUser(ada, new JsonObject { ["organization_id"] = b });
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var restarted = sim.CreateConnector(services: s => s.AddSingleton<IConnectorStateStore>(durable));

        var changes = await ReadAsync(restarted.Connector, cursor);

        Assert.Equal(["c-2"], changes.Last(c => c.ExternalId == Id(a)).Customer!.Contacts.Select(c => c.Id));
        Assert.Equal(["c-1"], changes.Last(c => c.ExternalId == Id(b)).Customer!.Contacts.Select(c => c.Id));

        // Read again from the same cursor (the engine did not commit): the organization left is read again.
        await using var again = sim.CreateConnector(services: s => s.AddSingleton<IConnectorStateStore>(durable));
        var repeated = await ReadAsync(again.Connector, cursor);
        Assert.Equal(["c-2"], repeated.Last(c => c.ExternalId == Id(a)).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task With_UseSqlite_a_user_moved_while_the_host_was_down_leaves_the_old_customer_after_a_restart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var ada = sim.SeedUser("Ada", "ada@a.example", "c-1", a);
        sim.SeedUser("Bob", "bob@a.example", "c-2", a);
        clock.Advance(TimeSpan.FromMinutes(2));
        var folder = Directory.CreateTempSubdirectory("concord-zendesk-sqlite-");
        var file = Path.Combine(folder.FullName, "concord.db");
        try
        {
            ChangeCursor cursor;
            await using (var before = sim.CreateConnector(services: s => s.AddConcord().UseSqlite(file))) // the connector registered first
            {
                cursor = (await ReadAsync(before.Connector))[^1].Cursor;
            }

            sim.EditUser(ada, new JsonObject { ["organization_id"] = b });
            clock.Advance(TimeSpan.FromMinutes(2));
            await using var restarted = sim.CreateConnector(services: s => s.AddConcord().UseSqlite(file)); // a new process on the same file

            var changes = await ReadAsync(restarted.Connector, cursor);

            Assert.Equal(["c-2"], changes.Last(c => c.ExternalId == Id(a)).Customer!.Contacts.Select(c => c.Id));
            Assert.Equal(["c-1"], changes.Last(c => c.ExternalId == Id(b)).Customer!.Contacts.Select(c => c.Id));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_incremental_family_stays_under_ten_requests_a_minute()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        sim.SeedOrganization("A", "a");
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock));
        for (var i = 0; i < 5; i++)
        {
            await ReadAsync(zendesk.Connector); // two incremental requests each
        }

        var sixth = ReadAsync(zendesk.Connector);
        var waited = await Task.WhenAny(sixth, Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System)) != sixth;
        clock.Advance(TimeSpan.FromSeconds(62));
        await sixth;

        Assert.True(waited);
        Assert.Equal(12, sim.Journal.Where(e => e.Path.StartsWith("/api/v2/incremental/", StringComparison.Ordinal)).Count);
        Assert.Equal(0, sim.Throttled);
    }

    [Fact]
    public async Task A_refused_user_cursor_falls_back_to_the_last_user_change_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var org = sim.SeedOrganization("Acme", "acme");
        var ada = sim.SeedUser("Ada", "ada@acme.example", "c-1", org);
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var zendesk = sim.CreateConnector();
        var first = await ReadAsync(zendesk.Connector);
        sim.ExpireExportCursors();
        sim.EditUser(ada, new JsonObject { ["name"] = "Ada L." });
        clock.Advance(TimeSpan.FromMinutes(2));

        var changes = await ReadAsync(zendesk.Connector, first[^1].Cursor);

        Assert.Equal("Ada L.", Assert.Single(changes).Customer!.Contacts.Single().Name);
        Assert.Contains(sim.Journal.Entries, e => e.Path.EndsWith("/users/cursor.json", StringComparison.Ordinal) && e.StatusCode == 422);
    }

    [Fact]
    public async Task An_export_page_without_end_of_stream_is_followed_and_one_with_it_ends_the_read_though_next_page_is_given()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        clock.Advance(TimeSpan.FromSeconds(5));
        var b = sim.SeedOrganization("B", "b");
        clock.Advance(TimeSpan.FromMinutes(2));
        var aUpdated = sim.Organization(a)!.UpdatedAt.ToUnixTimeSeconds();

        // The first page holds A only and says more follows (as a page cut short by per_page or a timeout would).
        var firstPage = new JsonObject
        {
            ["organizations"] = new JsonArray(new JsonObject
            {
                ["id"] = a,
                ["name"] = "A",
                ["external_id"] = "a",
                ["domain_names"] = new JsonArray(),
                ["tags"] = new JsonArray(),
                ["organization_fields"] = new JsonObject(),
                ["created_at"] = sim.Organization(a)!.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["updated_at"] = sim.Organization(a)!.UpdatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["deleted_at"] = null,
            }),
            ["count"] = 1,
            ["end_time"] = aUpdated,
            ["next_page"] = $"https://concord.zendesk.com/api/v2/incremental/organizations.json?start_time={aUpdated}",
            ["end_of_stream"] = false,
        };
        sim.FailNextApiCalls(1, 200, firstPage.ToJsonString(), r => r.Path == "/api/v2/incremental/organizations.json");
        await using var zendesk = sim.CreateConnector();

        var changes = await ReadAsync(zendesk.Connector);

        Assert.Equal([Id(a), Id(b)], changes.Select(c => c.ExternalId));
        var calls = sim.Journal.Calls("GET", "/api/v2/incremental/organizations.json");

        // From the beginning, then from the first page's end_time; the second page said end_of_stream, so its next_page
        // (which only re-reads the tail) is not followed.
        Assert.Equal(["0", aUpdated.ToString(CultureInfo.InvariantCulture)], calls.Select(e => e.Query["start_time"]));
    }

    [Fact]
    public async Task After_a_restart_a_merged_user_is_no_deletion_and_leaves_its_organization_for_the_survivors()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var a = sim.SeedOrganization("A", "a");
        var b = sim.SeedOrganization("B", "b");
        var loser = sim.SeedUser("Ada (old)", "ada@old.example", "c-1", a);
        var winner = sim.SeedUser("Ada", "ada@new.example", "c-2", b);
        clock.Advance(TimeSpan.FromMinutes(2));
        ChangeCursor cursor;
        await using (var before = sim.CreateConnector())
        {
            cursor = (await ReadAsync(before.Connector))[^1].Cursor;
        }

        sim.MergeUsers(loser, winner);
        clock.Advance(TimeSpan.FromMinutes(2));
        await using var restarted = sim.CreateConnector();

        var changes = await ReadAsync(restarted.Connector, cursor);

        Assert.DoesNotContain(changes, c => c.Kind == ChangeKind.Deleted);
        Assert.DoesNotContain(changes, c => c.ExternalId == Id(loser) || c.ExternalId == Id(winner));
        var upserts = changes.Where(c => c.Kind == ChangeKind.Upserted).ToList();
        Assert.Empty(upserts.Single(c => c.ExternalId == Id(a)).Customer!.Contacts);
        Assert.Equal(["c-2"], upserts.Single(c => c.ExternalId == Id(b)).Customer!.Contacts.Select(c => c.Id));
    }
}
