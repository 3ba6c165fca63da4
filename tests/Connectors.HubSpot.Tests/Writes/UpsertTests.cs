using System.Text.Json.Nodes;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Writes;

public sealed class UpsertTests
{
    private const string Unique = "concord_external_id";

    [Fact]
    public async Task Results_hubspot_returns_out_of_order_are_mapped_back_to_input_order()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { Seed = 3 });
        await using var hubspot = sim.CreateConnector();
        var requests = Customers.Requests(40, contactsEach: 1);

        var results = await hubspot.Connector.UpsertManyAsync(requests);

        // The simulator shuffles batch results (HubSpot keeps no order): mapping by position would pair them wrongly.
        Assert.Single(Calls(sim, "companies", "upsert"));
        Assert.Equal(40, results.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(UpsertOutcome.Created, results[i].Outcome);
            Assert.Equal(requests[i].Customer.Provenance.CanonicalId, sim.Get(results[i].ExternalId!)![Unique]);
            var contactId = Assert.Single(results[i].ContactExternalIds).Value;
            Assert.Equal(requests[i].Customer.Contacts[0].Id, sim.Get(contactId)![Unique]);
        }
    }

    [Fact]
    public async Task Chunks_hold_at_most_100_inputs()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        var results = await hubspot.Connector.UpsertManyAsync(Customers.Requests(250));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal([50, 100, 100], Calls(sim, "companies", "upsert").Select(c => JsonNode.Parse(c.Body!)!["inputs"]!.AsArray().Count).Order()); // chunks go in parallel
    }

    [Fact]
    public async Task Parallel_chunks_are_mapped_back_each_to_its_own_inputs()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { Seed = 11 });
        await using var hubspot = sim.CreateConnector(o => { o.BatchSize = 7; o.MaxParallelBatches = 8; });
        var requests = Customers.Requests(60, contactsEach: 1, prefix: "par");

        var results = await hubspot.Connector.UpsertManyAsync(requests);

        Assert.True(Calls(sim, "companies", "upsert").Count >= 9);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(requests[i].Customer.Provenance.CanonicalId, sim.Get(results[i].ExternalId!)![Unique]);
            Assert.Equal(results[i].ExternalId, sim.Get(results[i].ContactExternalIds.Values.Single())!["associatedcompanyid"]);
        }
    }

    [Fact]
    public async Task Object_write_trace_id_is_the_idempotency_key_and_the_company_key_is_the_unique_property()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var request = Customers.Request(Customers.Company("trace-1", contacts: 1));

        await hubspot.Connector.UpsertAsync(request);

        var company = JsonNode.Parse(Calls(sim, "companies", "upsert").Single().Body!)!["inputs"]![0]!;
        Assert.Equal(request.IdempotencyKey.Value, company["objectWriteTraceId"]!.GetValue<string>());
        Assert.Equal(Unique, company["idProperty"]!.GetValue<string>());
        Assert.Equal("trace-1", company["id"]!.GetValue<string>());
        var contact = JsonNode.Parse(Calls(sim, "contacts", "upsert").Single().Body!)!["inputs"]![0]!;
        Assert.StartsWith(request.IdempotencyKey.Value, contact["objectWriteTraceId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v3", "/crm/v3/objects/companies/batch/upsert", 207)]
    [InlineData("2026-03", "/crm/objects/2026-03/companies/batch/upsert", 207)]
    [InlineData("2026-09", "/crm/objects/2026-09/companies/batch/upsert", 200)]
    public async Task A_partial_failure_fails_only_its_record_whether_207_or_errors_in_a_200(string version, string path, int status)
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.ApiVersion = version);
        var requests = Customers.Requests(5);
        var bad = requests[2].Customer with { CustomAttributes = requests[2].Customer.CustomAttributes.Add("industry", "NOT_AN_INDUSTRY") };
        requests = [.. requests.Select((r, i) => i == 2 ? Customers.Request(bad) : r)];

        var results = await hubspot.Connector.UpsertManyAsync(requests);

        Assert.Equal(status, Assert.Single(sim.Journal.Calls("POST", path)).StatusCode);
        Assert.Equal([true, true, false, true, true], results.Select(r => r.IsSuccess));
        var error = results[2].Error!;
        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Equal("VALIDATION_ERROR", error.VendorErrorCode);
        Assert.Contains(error.FieldErrors, f => f.Field == "industry" && f.Code == "INVALID_OPTION");
        Assert.Equal(4, sim.Companies.Count);
    }

    [Fact]
    public async Task A_2026_09_required_property_rule_fails_only_the_records_without_it_as_validation()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { RequiredProperties = { ["companies"] = ["industry"] } });
        await using var hubspot = sim.CreateConnector();
        var with = Customers.Company("req-1") with { CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("industry", "MACHINERY") };

        var results = await hubspot.Connector.UpsertManyAsync([Customers.Request(with), Customers.Request(Customers.Company("req-2"))]);

        Assert.True(results[0].IsSuccess);
        Assert.Equal(ErrorCategory.Validation, results[1].Error!.Category);
        Assert.Contains(results[1].Error!.FieldErrors, f => f.Field == "industry" && f.Code == "REQUIRED_PROPERTY");
    }

    [Fact]
    public async Task A_contact_whose_key_another_contact_holds_is_adopted_by_its_existing_id()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("warmup"))); // creates the unique properties
        var existing = sim.SeedContact(new Dictionary<string, string> { ["email"] = "old@adopt.example", [Unique] = "adopt-1-c1", ["lastname"] = "Old" });
        var customer = Customers.Company("adopt-1") with
        {
            Contacts = [Customers.Person("adopt-1", 1) with { Emails = [new EmailAddress { Address = "new@adopt.example" }] }],
        };

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(customer));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(existing, result.ContactExternalIds["adopt-1-c1"]);
        Assert.Single(sim.Contacts);
        Assert.Equal("new@adopt.example", sim.Get(existing)!["email"]);
        Assert.Contains(sim.Journal.Entries, e => e.Path.EndsWith("/contacts/batch/update", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_known_company_id_whose_key_another_company_holds_adopts_that_company()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var holder = (await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("held-1")))).ExternalId!;
        var stale = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Linked earlier" });

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("held-1", name: "Renamed"), knownId: stale));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(holder, result.ExternalId);
        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal("Renamed", sim.Get(holder)!["name"]);
        Assert.Single(sim.Where("companies", Unique, "held-1"));
    }

    [Fact]
    public async Task A_locked_batch_waits_and_is_resent()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.LockedRetryDelay = TimeSpan.FromMilliseconds(400));
        sim.LockNextWrites(1, r => r.Path.EndsWith("/companies/batch/upsert", StringComparison.Ordinal));

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("locked-1", contacts: 1)));

        Assert.True(result.IsSuccess);
        var calls = Calls(sim, "companies", "upsert");
        Assert.Equal([423, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[1].Time - calls[0].Time >= TimeSpan.FromMilliseconds(390), $"resent after {calls[1].Time - calls[0].Time}");
        Assert.Single(sim.Companies);
    }

    [Fact]
    public async Task Duplicate_keys_in_one_call_are_merged_before_sending()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var first = Customers.Request(Customers.Company("dup-1", name: "First"));
        var second = Customers.Request(Customers.Company("dup-1", name: "Second"));

        var results = await hubspot.Connector.UpsertManyAsync([first, Customers.Request(Customers.Company("other-1")), second]);

        var inputs = JsonNode.Parse(Calls(sim, "companies", "upsert").Single().Body!)!["inputs"]!.AsArray();
        Assert.Equal(2, inputs.Count);
        Assert.Equal(results[0].ExternalId, results[2].ExternalId);
        Assert.Equal("Second", sim.Get(results[0].ExternalId!)!["name"]);
        Assert.Equal(2, sim.Companies.Count);
    }

    [Fact]
    public async Task Duplicate_keys_of_an_existing_company_both_succeed_and_keep_the_contacts_either_brought()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var customer = Customers.Company("dup-existing", contacts: 3);
        var created = await hubspot.Connector.UpsertAsync(Customers.Request(customer));
        var first = Customers.Request(customer with { Name = "First", Contacts = [customer.Contacts[0]] });
        var second = Customers.Request(customer with { Name = "Second", Contacts = [customer.Contacts[1]] });

        var results = await hubspot.Connector.UpsertManyAsync([first, second]);

        Assert.All(results, r => Assert.Equal(UpsertOutcome.Updated, r.Outcome));
        Assert.Equal(created.ExternalId, results[1].ExternalId);
        Assert.Equal("Second", sim.Get(created.ExternalId!)!["name"]);
        var left = created.ContactExternalIds["dup-existing-c3"];
        Assert.Empty(sim.CompaniesOf(left)); // neither input has it
        Assert.Equal(2, sim.ContactsOf(created.ExternalId!).Count); // each input's contact stays linked
    }

    [Fact]
    public async Task A_known_external_id_is_updated_by_id_and_never_created_again()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var linked = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Matched by domain" });

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("known-1"), knownId: linked));

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(linked, result.ExternalId);
        var company = Assert.Single(sim.Companies);
        Assert.Equal("known-1", company[Unique]);
        Assert.Single(Calls(sim, "companies", "update"));
        Assert.Empty(Calls(sim, "companies", "upsert"));
    }

    [Fact]
    public async Task A_known_external_id_that_no_longer_exists_fails_as_not_found_and_creates_nothing()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var gone = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Gone" });
        sim.Archive(gone);

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("gone-1"), knownId: gone));

        Assert.Equal(ErrorCategory.NotFound, result.Error!.Category);
        Assert.Single(sim.Companies);
    }

    [Fact]
    public async Task Cleared_values_are_sent_as_empty_strings_and_clear_hubspots_value()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var customer = Customers.Company("clear-1");
        var id = (await hubspot.Connector.UpsertAsync(Customers.Request(customer))).ExternalId!;

        await hubspot.Connector.UpsertAsync(Customers.Request(customer with { Phones = [], Notes = null }));

        var sent = JsonNode.Parse(Calls(sim, "companies", "upsert")[1].Body!)!["inputs"]![0]!["properties"]!;
        Assert.Equal(string.Empty, sent["phone"]!.GetValue<string>());
        Assert.Equal(string.Empty, sent["description"]!.GetValue<string>());
        Assert.Null(sim.Get(id)!["phone"]);
        Assert.Null(sim.Get(id)!["description"]);
        Assert.Equal("Berlin", sim.Get(id)!["city"]);
    }

    [Fact]
    public async Task Contacts_upsert_by_lower_case_email_or_by_the_unique_property_when_they_have_none()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var customer = Customers.Company("keys-1") with
        {
            Contacts =
            [
                Customers.Person("keys-1", 1) with { Emails = [new EmailAddress { Address = "Ada@Keys.Example" }] },
                Customers.Person("keys-1", 2, withEmail: false),
            ],
        };

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(customer));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var bodies = Calls(sim, "contacts", "upsert").Select(c => JsonNode.Parse(c.Body!)!["inputs"]![0]!).ToList();
        Assert.Contains(bodies, i => i["idProperty"]!.GetValue<string>() == "email" && i["id"]!.GetValue<string>() == "ada@keys.example");
        Assert.Contains(bodies, i => i["idProperty"]!.GetValue<string>() == Unique && i["id"]!.GetValue<string>() == "keys-1-c2");
        Assert.Equal(2, sim.Contacts.Count);
    }

    [Fact]
    public async Task Contacts_are_linked_with_279_and_primary_1_after_both_sides_exist_and_associatedcompanyid_is_never_written()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        var results = await hubspot.Connector.UpsertManyAsync(Customers.Requests(3, contactsEach: 2));

        foreach (var result in results)
        {
            foreach (var contact in result.ContactExternalIds.Values)
            {
                Assert.Equal([1, 279], sim.CompaniesOf(contact)[result.ExternalId!]);
                Assert.Equal(result.ExternalId, sim.Get(contact)!["associatedcompanyid"]);
            }
        }

        var link = Assert.Single(sim.Journal.Calls("POST", "/crm/associations/2026-09/contacts/companies/batch/create"));
        var writes = sim.Journal.Entries.Where(e => e.Path.Contains("/batch/", StringComparison.Ordinal) && e.Sequence < link.Sequence && e.Path.EndsWith("upsert", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, writes.Count); // companies, then contacts, then one link batch
        Assert.DoesNotContain(sim.Journal.Entries, e => e.Body?.Contains("associatedcompanyid", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Contacts_removed_from_a_customer_are_disassociated_not_deleted()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var customer = Customers.Company("shrink-1", contacts: 2);
        var first = await hubspot.Connector.UpsertAsync(Customers.Request(customer));
        var leaving = first.ContactExternalIds["shrink-1-c2"];

        var second = await hubspot.Connector.UpsertAsync(Customers.Request(customer with { Contacts = [customer.Contacts[0]] }));

        Assert.True(second.IsSuccess);
        Assert.False(sim.Get(leaving)!.Archived);
        Assert.Empty(sim.CompaniesOf(leaving));
        Assert.Equal([first.ContactExternalIds["shrink-1-c1"]], sim.ContactsOf(first.ExternalId!).Keys);
    }

    [Fact]
    public async Task A_lifecycle_stage_hubspot_refuses_to_move_back_keeps_hubspots_stage_and_writes_the_rest()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var id = (await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("stage-1")))).ExternalId!; // customer
        var backward = Customers.Company("stage-1", name: "Renamed") with { LifecycleStage = LifecycleStage.Lead };

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(backward));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("customer", sim.Get(id)!["lifecyclestage"]);
        Assert.Equal("Renamed", sim.Get(id)!["name"]);
    }

    [Fact]
    public async Task A_contact_without_email_or_id_fails_its_customer_alone()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var broken = Customers.Company("noid-1") with { Contacts = [new Contact { Name = "Nobody" }] };

        var results = await hubspot.Connector.UpsertManyAsync([Customers.Request(broken), Customers.Request(Customers.Company("fine-1", contacts: 1))]);

        Assert.Equal(ErrorCategory.Validation, results[0].Error!.Category);
        Assert.True(results[1].IsSuccess);
    }

    [Fact]
    public async Task Missing_scope_stops_the_batch_as_authorization_naming_the_scope()
    {
        var options = new HubSpotSimulatorOptions();
        options.Scopes.Remove("crm.objects.contacts.write");
        await using var sim = new HubSpotSimulator(options);
        await using var hubspot = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("scope-1", contacts: 1))));

        Assert.Equal(ErrorCategory.Authorization, error.Category);
        Assert.Contains("crm.objects.contacts.write", error.Message, StringComparison.Ordinal);
    }

    internal static List<JournalEntry> Calls(HubSpotSimulator sim, string objectType, string operation) =>
        [.. sim.Journal.Where(e => e.Method == "POST" && e.Path.EndsWith($"/{objectType}/batch/{operation}", StringComparison.Ordinal))];
}
