using Concord.Connectors.Salesforce.Tests.TestData;
using System.Collections.Immutable;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Query;
using Concord.Testing;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Reads;

/// <summary>GetManyAsync and FindManyAsync: the answers of one GetAsync/FindAsync per entry, for a few queries in all.</summary>
public sealed class BatchReadTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new();

    [Fact]
    public async Task GetMany_of_200_ids_answers_in_input_order_with_one_account_and_one_contact_query()
    {
        var known = Enumerable.Range(0, 195).Select(i => SeedWithContact(i)).ToList();
        var deleted = known[7];
        _sim.DeleteRecord(deleted);
        const string Unknown = "001SIM999999999AAA";
        var ids = new List<string>(known);
        ids.Insert(3, "odoo-42");          // not a Salesforce id
        ids.Insert(10, Unknown);           // a Salesforce id no record has
        ids.Insert(50, known[20]);         // the same id twice
        ids.Insert(120, "001 bad id here");
        ids.Add(known[0]);
        Assert.Equal(200, ids.Count);
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.GetManyAsync(ids);

        Assert.Equal(ids.Count, found.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (id is "odoo-42" or Unknown or "001 bad id here" || id == deleted)
            {
                Assert.Null(found[i]);
            }
            else
            {
                Assert.Equal(id, found[i]!.Provenance.ExternalIdIn("salesforce"));
                Assert.Equal(Contact(known.IndexOf(id)), Assert.Single(found[i]!.Contacts).Name);
            }
        }

        Assert.Equal((1, 1), (Queries("Account").Count, Queries("Contact").Count));
        Assert.StartsWith("SELECT Id, Name", Queries("Account")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMany_beyond_one_uri_reads_one_account_query_per_slice_and_contacts_only_for_found_accounts()
    {
        var ids = Enumerable.Range(0, 600).Select(i => SeedWithContact(i)).ToList();
        foreach (var id in ids.Where((_, i) => i % 2 == 1))
        {
            _sim.DeleteRecord(id);
        }

        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.GetManyAsync(ids);

        Assert.Equal(ids.Select((id, i) => i % 2 == 0 ? id : null), found.Select(c => c?.Provenance.ExternalIdIn("salesforce")));
        Assert.All(ApiCalls(), e => Assert.True(e.StatusCode < 400, $"{e.Path} answered {e.StatusCode}"));
        Assert.All(ApiCalls(), e => Assert.True(UriBytes(e) <= Soql.MaxQueryUriBytes, $"a query URI took {UriBytes(e)} bytes"));

        // 600 ids of 18 characters: 3 slices of at most ~250; the 300 live accounts' contacts: 2 slices.
        Assert.Equal((3, 2), (Queries("Account").Count, Queries("Contact").Count));
    }

    [Fact]
    public async Task GetMany_of_ids_Salesforce_could_not_have_issued_asks_nothing()
    {
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.GetManyAsync(["odoo-42", "12345", "001SIM00000000!AAA"]);

        Assert.Equal(3, found.Count);
        Assert.All(found, Assert.Null);
        Assert.Empty(_sim.Journal.Entries);
    }

    [Fact]
    public async Task GetMany_answers_a_15_character_id_with_the_account_it_names()
    {
        var id = SeedWithContact(1);
        var other = SeedWithContact(2);
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.GetManyAsync([id[..15], id, other[..15]]);

        Assert.Equal([id, id, other], found.Select(c => c?.Provenance.ExternalIdIn("salesforce")));
        Assert.Single(Queries("Account"));
    }

    [Fact]
    public async Task FindMany_answers_each_entry_as_FindAsync_does_with_three_queries_instead_of_fourteen()
    {
        var acme = _sim.SeedAccount("m-1", "Acme", new Dictionary<string, object?> { ["Website"] = "https://acme.example", ["AccountNumber"] = "R-1" });
        _sim.SeedContact(acme, "m-1-c1", "Coyote", new Dictionary<string, object?> { ["Email"] = "wile@acme.example" });
        var shop = _sim.SeedAccount("m-2", "Acme Shop", new Dictionary<string, object?> { ["Website"] = "https://shop.acme.example" });
        var initech = _sim.SeedAccount("m-3", "Initech", new Dictionary<string, object?> { ["Website"] = "https://initech.example" });
        _sim.SeedContact(initech, "m-3-c1", "Lumbergh", new Dictionary<string, object?> { ["Email"] = "shared@mail.example" });
        var globex = _sim.SeedAccount("m-4", "Globex");
        _sim.SeedContact(globex, "m-4-c1", "Scorpio", new Dictionary<string, object?> { ["Email"] = "SHARED@mail.example" });
        _sim.SeedAccount("m-5", "Unrelated", new Dictionary<string, object?> { ["Website"] = "https://other.example", ["AccountNumber"] = "R-9" });
        var gone = _sim.SeedAccount("m-6", "Old Acme", new Dictionary<string, object?> { ["Website"] = "https://acme.example", ["AccountNumber"] = "R-1" });
        _sim.DeleteRecord(gone);
        MatchKeys[] keys =
        [
            new() { Domain = "acme.example" },                                                   // two accounts
            new() { Reference = "R-1" },                                                          // the same account as entry 0 and 2
            new() { Emails = ["wile@acme.example"] },
            new() { Emails = ["shared@mail.example"] },                                           // two accounts by one email
            new() { Domain = "nowhere.example" },                                                 // no match
            new(),                                                                                // empty keys
            new() { TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123", Country = "DE" }] },
            new() { Domain = "acme.example", Reference = "R-1", Emails = ["shared@mail.example"] },
        ];
        await using var sf = _sim.CreateConnector(OrgShape.Known);

        var batched = await sf.Connector.FindManyAsync(keys);
        var batchCalls = ApiCalls().Count;
        _sim.Journal.Clear();
        var single = new List<IReadOnlyList<CanonicalCustomer>>();
        foreach (var entry in keys)
        {
            single.Add(await sf.Connector.FindAsync(entry));
        }

        var singleCalls = ApiCalls().Count;

        Assert.Equal(keys.Length, batched.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(ExternalIds(single[i]), ExternalIds(batched[i]));
        }

        Assert.Equal([acme, shop], ExternalIds(batched[0]));
        Assert.Equal([acme], ExternalIds(batched[1]));
        Assert.Equal([acme], ExternalIds(batched[2]));
        Assert.Equal([initech, globex], ExternalIds(batched[3]));
        Assert.All(batched.Skip(4).Take(3), Assert.Empty);
        Assert.Equal([acme, initech, globex, shop], ExternalIds(batched[7])); // reference and domain, email, email, domain-like only
        Assert.Same(batched[0][0], batched[1][0]); // one account, read once, shared by the entries it matches

        // Batched: the contacts of all emails, the accounts of all keys, the contacts of those accounts.
        // One by one: 2 per domain/reference entry, 3 per email entry, 1 for the unmatched domain, 0 without keys.
        Assert.Equal((3, 14), (batchCalls, singleCalls));
    }

    [Fact]
    public async Task FindMany_whose_keys_exceed_one_uri_slices_every_query_and_still_matches_each_entry()
    {
        const int Count = 300;
        var accounts = new List<string>(Count);
        var keys = new List<MatchKeys>(Count);
        for (var i = 0; i < Count; i++)
        {
            var n = i.ToString("D4", CultureInfo.InvariantCulture);
            var id = _sim.SeedAccount($"u-{n}", $"Company {n}", new Dictionary<string, object?> { ["Website"] = $"https://company-{n}.example", ["AccountNumber"] = $"ACC-{n}" });
            _sim.SeedContact(id, $"u-{n}-c1", "Contact", new Dictionary<string, object?> { ["Email"] = $"buyer-{n}@company-{n}.example" });
            accounts.Add(id);

            // Each entry has one kind of key, in turn, so every kind of condition fills several URIs.
            keys.Add((i % 3) switch
            {
                0 => new MatchKeys { Domain = $"company-{n}.example" },
                1 => new MatchKeys { Reference = $"ACC-{n}" },
                _ => new MatchKeys { Emails = [$"buyer-{n}@company-{n}.example"] },
            });
        }

        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindManyAsync(keys);

        Assert.Equal(accounts, found.Select(f => Assert.Single(f).Provenance.ExternalIdIn("salesforce")));
        Assert.All(ApiCalls(), e => Assert.True(e.StatusCode < 400, $"{e.Path} answered {e.StatusCode}"));
        Assert.All(ApiCalls(), e => Assert.True(UriBytes(e) <= Soql.MaxQueryUriBytes, $"a query URI took {UriBytes(e)} bytes"));
        var accountQueries = Queries("Account");
        Assert.InRange(accountQueries.Count, 2, 6);
        Assert.Contains(accountQueries, q => q.Contains("Website LIKE", StringComparison.Ordinal) && q.Contains("AccountNumber IN", StringComparison.Ordinal));
        Assert.InRange(Queries("Contact").Count, 2, 4);
    }

    [Fact]
    public async Task FindMany_of_entries_without_a_key_Salesforce_can_match_asks_nothing()
    {
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindManyAsync([new MatchKeys(), new MatchKeys { TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "FR1", Country = "FR" }] }]);

        Assert.Equal(2, found.Count);
        Assert.All(found, Assert.Empty);
        Assert.Empty(_sim.Journal.Entries);
    }

    public void Dispose() => _sim.Dispose();

    private static string Contact(int i) => string.Create(CultureInfo.InvariantCulture, $"{i} Contact");

    private static List<string?> ExternalIds(IEnumerable<CanonicalCustomer> customers) => [.. customers.Select(c => c.Provenance.ExternalIdIn("salesforce"))];

    private static int UriBytes(JournalEntry e) => e.Path.Length + "?q=".Length + Uri.EscapeDataString(e.Query.GetValueOrDefault("q") ?? string.Empty).Length;

    private string SeedWithContact(int i)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"b-{i}");
        var id = _sim.SeedAccount(key, key);
        _sim.SeedContact(id, key + "-c1", "Contact", new Dictionary<string, object?> { ["FirstName"] = string.Create(CultureInfo.InvariantCulture, $"{i}") });
        return id;
    }

    private List<JournalEntry> ApiCalls() => [.. _sim.Journal.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal))];

    private List<string> Queries(string sObject) =>
        [.. ApiCalls().Select(e => e.Query.GetValueOrDefault("q") ?? string.Empty).Where(q => q.Contains(" FROM " + sObject + " ", StringComparison.Ordinal))];
}
