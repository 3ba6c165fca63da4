using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Testing.Tests.HubSpot;

public sealed class HubSpotSimulatorTests
{
    private const string Unique = "concord_external_id";

    [Fact]
    public async Task Batch_upsert_on_a_unique_property_creates_then_updates_and_tells_new_from_updated()
    {
        await using var sim = Started(out var api);
        using var _ = api;

        var first = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("c-1", "Acme"), ("c-2", "Globex")));
        var second = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("c-1", "Acme Renamed")));

        Assert.Equal(200, first.Status);
        Assert.All(first.Results, r => Assert.True(r!["new"]!.GetValue<bool>()));
        var updated = Assert.Single(second.Results);
        Assert.False(updated!["new"]!.GetValue<bool>());
        Assert.Equal("c-1", updated["properties"]![Unique]!.GetValue<string>());
        Assert.Equal(2, sim.Companies.Count);
        Assert.Equal("Acme Renamed", sim.Where("companies", Unique, "c-1").Single()["name"]);
    }

    [Fact]
    public async Task Batch_results_do_not_follow_input_order()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var inputs = Enumerable.Range(1, 20).Select(i => ($"o-{i}", $"Company {i}")).ToArray();

        var answer = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(inputs));

        var order = answer.Results.Select(r => r!["properties"]![Unique]!.GetValue<string>()).ToList();
        Assert.Equal(inputs.Select(i => i.Item1).Order(), order.Order());
        Assert.NotEqual(inputs.Select(i => i.Item1), order);
    }

    [Theory]
    [InlineData("/crm/v3/objects/companies/batch/upsert", 207)]
    [InlineData("/crm/objects/2026-03/companies/batch/upsert", 207)]
    [InlineData("/crm/objects/2026-09/companies/batch/upsert", 200)]
    public async Task Partial_failure_is_207_until_2026_03_and_errors_in_a_200_from_2026_09(string path, int status)
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var body = """
            {"inputs":[
              {"id":"ok-1","idProperty":"concord_external_id","objectWriteTraceId":"t-1","properties":{"name":"Fine"}},
              {"id":"bad-1","idProperty":"concord_external_id","objectWriteTraceId":"t-2","properties":{"name":"Bad","industry":"NOT_AN_INDUSTRY"}}]}
            """;

        var answer = await api.Post(path, body);

        Assert.Equal(status, answer.Status);
        Assert.Equal(1, answer.Body!["numErrors"]!.GetValue<int>());
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("VALIDATION_ERROR", error["category"]!.GetValue<string>());
        Assert.Equal("t-2", error["context"]!["objectWriteTraceId"]![0]!.GetValue<string>());
        Assert.Equal("INVALID_OPTION", error["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Single(answer.Results);
        Assert.Single(sim.Companies);
    }

    [Fact]
    public async Task Batch_create_without_trace_ids_fails_whole_on_the_first_conflict_with_the_existing_id_in_the_text()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var existing = sim.SeedContact(new Dictionary<string, string> { ["email"] = "jane@acme.example", ["lastname"] = "Doe" });

        var answer = await api.Post("/crm/v3/objects/contacts/batch/create", """
            {"inputs":[{"properties":{"email":"new@acme.example"}},{"properties":{"email":"JANE@acme.example"}}]}
            """);

        Assert.Equal(409, answer.Status);
        Assert.Equal("CONFLICT", answer.Body!["category"]!.GetValue<string>());
        Assert.Equal($"Contact already exists. Existing ID: {existing}", answer.Body["message"]!.GetValue<string>());
        Assert.Single(sim.Contacts);
    }

    [Fact]
    public async Task Batch_create_with_trace_ids_reports_each_failed_input_by_its_trace_id()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.SeedContact(new Dictionary<string, string> { ["email"] = "jane@acme.example" });

        var answer = await api.Post("/crm/v3/objects/contacts/batch/create", """
            {"inputs":[{"objectWriteTraceId":"a","properties":{"email":"new@acme.example"}},{"objectWriteTraceId":"b","properties":{"email":"jane@acme.example"}}]}
            """);

        Assert.Equal(207, answer.Status);
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("CONFLICT", error["category"]!.GetValue<string>());
        Assert.Equal("b", error["context"]!["objectWriteTraceId"]![0]!.GetValue<string>());
        Assert.Equal(2, sim.Contacts.Count);
    }

    [Fact]
    public async Task Upsert_by_email_that_would_take_another_contacts_unique_value_is_a_conflict_naming_its_id()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.DefineProperty("contacts", Unique, hasUniqueValue: true);
        var holder = sim.SeedContact(new Dictionary<string, string> { ["email"] = "old@acme.example", [Unique] = "p-1" });

        var answer = await api.Post("/crm/v3/objects/contacts/batch/upsert", """
            {"inputs":[{"id":"new@acme.example","idProperty":"email","objectWriteTraceId":"t","properties":{"concord_external_id":"p-1"}}]}
            """);

        Assert.Equal(207, answer.Status);
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("CONFLICT", error["category"]!.GetValue<string>());
        Assert.Contains($"Existing ID: {holder}", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_by_email_matches_case_insensitively_and_stores_lower_case()
    {
        await using var sim = Started(out var api);
        using var _ = api;

        await api.Post("/crm/v3/objects/contacts/batch/upsert", """{"inputs":[{"id":"Ada@Example.com","idProperty":"email","properties":{"firstname":"Ada"}}]}""");
        var again = await api.Post("/crm/v3/objects/contacts/batch/upsert", """{"inputs":[{"id":"ada@example.com","idProperty":"email","properties":{"lastname":"Lovelace"}}]}""");

        Assert.False(again.Results[0]!["new"]!.GetValue<bool>());
        var contact = Assert.Single(sim.Contacts);
        Assert.Equal("ada@example.com", contact["email"]);
        Assert.Equal("Lovelace", contact["lastname"]);
    }

    [Fact]
    public async Task Duplicate_ids_in_one_batch_are_refused_whole()
    {
        await using var sim = Started(out var api);
        using var _ = api;

        var answer = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("d-1", "A"), ("d-1", "B")));

        Assert.Equal(400, answer.Status);
        Assert.Empty(sim.Companies);
    }

    [Fact]
    public async Task More_than_100_inputs_are_refused()
    {
        await using var sim = Started(out var api);
        using var _ = api;

        var answer = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert([.. Enumerable.Range(0, 101).Select(i => ($"m-{i}", "M"))]));

        Assert.Equal(400, answer.Status);
        Assert.Equal("VALIDATION_ERROR", answer.Body!["category"]!.GetValue<string>());
    }

    [Fact]
    public async Task Empty_string_clears_a_property()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        await api.Post("/crm/v3/objects/companies/batch/upsert", """{"inputs":[{"id":"x","idProperty":"concord_external_id","properties":{"name":"X","phone":"+49 30 1"}}]}""");

        await api.Post("/crm/v3/objects/companies/batch/upsert", """{"inputs":[{"id":"x","idProperty":"concord_external_id","properties":{"phone":""}}]}""");

        Assert.Null(sim.Companies.Single()["phone"]);
    }

    [Fact]
    public async Task Lifecycle_stage_only_moves_forward_unless_cleared_first()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "L", ["lifecyclestage"] = "customer" });

        var backward = await api.Patch($"/crm/v3/objects/companies/{id}", """{"properties":{"lifecyclestage":"lead"}}""");
        var cleared = await api.Patch($"/crm/v3/objects/companies/{id}", """{"properties":{"lifecyclestage":""}}""");
        var set = await api.Patch($"/crm/v3/objects/companies/{id}", """{"properties":{"lifecyclestage":"lead"}}""");

        Assert.Equal(400, backward.Status);
        Assert.Equal("VALIDATION_ERROR", backward.Body!["category"]!.GetValue<string>());
        Assert.Equal(200, cleared.Status);
        Assert.Equal(200, set.Status);
        Assert.Equal("lead", sim.Get(id)!["lifecyclestage"]);
    }

    [Fact]
    public async Task Required_properties_are_enforced_from_2026_09_only()
    {
        var options = new HubSpotSimulatorOptions { RequiredProperties = { ["companies"] = ["industry"] } };
        await using var sim = Started(out var api, options);
        using var _ = api;
        var body = """{"inputs":[{"id":"r-1","idProperty":"concord_external_id","objectWriteTraceId":"t","properties":{"name":"R"}}]}""";

        var v3 = await api.Post("/crm/v3/objects/companies/batch/upsert", body.Replace("r-1", "r-2", StringComparison.Ordinal));
        var v2609 = await api.Post("/crm/objects/2026-09/companies/batch/upsert", body);

        Assert.Equal(200, v3.Status);
        Assert.Empty(v3.Errors);
        Assert.Equal(200, v2609.Status);
        Assert.Equal("REQUIRED_PROPERTY", v2609.Errors[0]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Single(sim.Companies);
    }

    [Fact]
    public async Task Requested_but_unset_properties_are_left_out_before_2026_09_and_null_from_it()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "N" });
        var read = $$"""{"inputs":[{"id":"{{id}}"}],"properties":["name","phone"],"propertiesWithHistory":[]}""";

        var v3 = await api.Post("/crm/v3/objects/companies/batch/read", read);
        var v2609 = await api.Post("/crm/objects/2026-09/companies/batch/read", read);

        Assert.False(((JsonObject)v3.Results[0]!["properties"]!).ContainsKey("phone"));
        var properties = (JsonObject)v2609.Results[0]!["properties"]!;
        Assert.True(properties.ContainsKey("phone"));
        Assert.Null(properties["phone"]);
    }

    [Fact]
    public async Task Batch_read_needs_both_property_arrays_and_reports_missing_ids_as_object_not_found()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "R" });

        var withoutArrays = await api.Post("/crm/v3/objects/companies/batch/read", $$"""{"inputs":[{"id":"{{id}}"}]}""");
        var answer = await api.Post("/crm/v3/objects/companies/batch/read", $$"""{"inputs":[{"id":"{{id}}"},{"id":"999"}],"properties":["name"],"propertiesWithHistory":[]}""");

        Assert.Equal(400, withoutArrays.Status);
        Assert.Equal(207, answer.Status);
        Assert.Equal("OBJECT_NOT_FOUND", answer.Errors[0]!["category"]!.GetValue<string>());
        Assert.Equal("999", answer.Errors[0]!["context"]!["ids"]![0]!.GetValue<string>());
        Assert.Equal("R", answer.Results[0]!["properties"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Locked_writes_answer_423_and_write_nothing()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.LockNextWrites(1);

        var locked = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("l-1", "L")));
        var retried = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("l-1", "L")));

        Assert.Equal(423, locked.Status);
        Assert.Equal(200, retried.Status);
        Assert.Single(sim.Companies);
    }

    [Fact]
    public async Task Ten_second_window_is_enforced_with_a_policy_named_429_and_rate_limit_headers()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { TenSecondlyLimit = 3, TimeProvider = clock });
        using var _ = api;

        var answers = new List<HubSpotApi.Answer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await api.Get("/crm/v3/objects/companies"));
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        var after = await api.Get("/crm/v3/objects/companies");

        Assert.Equal([200, 200, 200, 429], answers.Select(a => a.Status));
        Assert.Equal(["2", "1", "0"], answers.Take(3).Select(a => a.Header("X-HubSpot-RateLimit-Remaining")));
        var throttled = answers[3];
        Assert.Equal("TEN_SECONDLY_ROLLING", throttled.Body!["policyName"]!.GetValue<string>());
        Assert.Equal("RATE_LIMIT", throttled.Body["errorType"]!.GetValue<string>());
        Assert.Equal("10000", throttled.Header("X-HubSpot-RateLimit-Interval-Milliseconds"));
        Assert.Equal("3", throttled.Header("X-HubSpot-RateLimit-Max"));
        Assert.Null(throttled.Header("Retry-After"));
        Assert.Equal(200, after.Status);
    }

    [Fact]
    public async Task Daily_allowance_is_enforced_for_static_tokens_and_resets_at_midnight_in_the_portal_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 21, 30, 0, TimeSpan.Zero)); // 23:30 in the portal
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { DailyLimit = 2, PortalTimeZone = zone, TimeProvider = clock });
        using var _ = api;

        var first = await api.Get("/crm/v3/objects/companies");
        await api.Get("/crm/v3/objects/companies");
        var refused = await api.Get("/crm/v3/objects/companies");
        clock.Advance(TimeSpan.FromMinutes(31));
        var nextDay = await api.Get("/crm/v3/objects/companies");

        Assert.Equal("2", first.Header("X-HubSpot-RateLimit-Daily"));
        Assert.Equal("1", first.Header("X-HubSpot-RateLimit-Daily-Remaining"));
        Assert.Equal(429, refused.Status);
        Assert.Equal("DAILY", refused.Body!["policyName"]!.GetValue<string>());
        Assert.Equal(200, nextDay.Status);
        Assert.Equal("1", nextDay.Header("X-HubSpot-RateLimit-Daily-Remaining"));
    }

    [Fact]
    public async Task Search_has_its_own_per_second_limit_and_sends_no_rate_limit_headers()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { SearchRequestsPerSecond = 2, TimeProvider = clock });
        using var _ = api;

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await api.Post("/crm/v3/objects/companies/search", "{}")).Status);
        }

        var refused = await api.Post("/crm/v3/objects/companies/search", "{}");
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = await api.Post("/crm/v3/objects/companies/search", "{}");

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal("SECONDLY", refused.Body!["policyName"]!.GetValue<string>());
        Assert.Null(later.Header("X-HubSpot-RateLimit-Remaining"));
        Assert.Equal(200, later.Status);
    }

    [Theory]
    [InlineData(6, 1, 400)]
    [InlineData(5, 1, 200)]
    [InlineData(1, 7, 400)]
    [InlineData(4, 5, 400)]
    [InlineData(3, 6, 200)]
    public async Task Search_filter_limits_are_five_groups_six_filters_each_eighteen_in_all(int groups, int filters, int status)
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var group = "{\"filters\":[" + string.Join(",", Enumerable.Repeat("""{"propertyName":"name","operator":"HAS_PROPERTY"}""", filters)) + "]}";
        var body = "{\"filterGroups\":[" + string.Join(",", Enumerable.Repeat(group, groups)) + "]}";

        var answer = await api.Post("/crm/v3/objects/companies/search", body);

        Assert.Equal(status, answer.Status);
    }

    [Fact]
    public async Task Search_stops_at_ten_thousand_results()
    {
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { EnforceRateLimits = false });
        using var _ = api;
        for (var i = 0; i < 10_050; i++)
        {
            sim.SeedCompany(new Dictionary<string, string> { ["name"] = "C" + i.ToString(CultureInfo.InvariantCulture) });
        }

        var last = await api.Post("/crm/v3/objects/companies/search", """{"limit":200,"after":"9800"}""");
        var beyond = await api.Post("/crm/v3/objects/companies/search", """{"limit":200,"after":"10000"}""");

        Assert.Equal(10_050, last.Body!["total"]!.GetValue<int>());
        Assert.Equal(200, last.Results.Count);
        Assert.Null(last.Body["paging"]);
        Assert.Equal(400, beyond.Status);
    }

    [Fact]
    public async Task Search_filters_sorts_and_pages_by_offset()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        foreach (var domain in new[] { "b.example", "a.example", "c.example", "other.example" })
        {
            sim.SeedCompany(new Dictionary<string, string> { ["name"] = domain, ["domain"] = domain });
        }

        var page = await api.Post("/crm/v3/objects/companies/search", """
            {"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["a.example","b.example","c.example"]}]}],
             "sorts":[{"propertyName":"domain","direction":"ASCENDING"}],"properties":["domain"],"limit":2}
            """);
        var next = await api.Post("/crm/v3/objects/companies/search", """
            {"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["a.example","b.example","c.example"]}]}],
             "sorts":[{"propertyName":"domain","direction":"ASCENDING"}],"properties":["domain"],"limit":2,"after":"2"}
            """);
        var upper = await api.Post("/crm/v3/objects/companies/search", """
            {"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["A.EXAMPLE"]}]}]}
            """);

        Assert.Equal(["a.example", "b.example"], page.Results.Select(r => r!["properties"]!["domain"]!.GetValue<string>()));
        Assert.Equal("2", page.Body!["paging"]!["next"]!["after"]!.GetValue<string>());
        Assert.Equal(["c.example"], next.Results.Select(r => r!["properties"]!["domain"]!.GetValue<string>()));
        Assert.Empty(upper.Results);
    }

    [Fact]
    public async Task Search_sees_writes_only_after_the_indexing_delay_and_never_archived_records()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { SearchIndexingDelay = TimeSpan.FromSeconds(30), TimeProvider = clock });
        using var _ = api;
        var archived = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Gone" });
        sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Fresh" });
        sim.Archive(archived);

        var before = await api.Post("/crm/v3/objects/companies/search", """{"properties":["name"]}""");
        clock.Advance(TimeSpan.FromSeconds(30));
        var after = await api.Post("/crm/v3/objects/companies/search", """{"properties":["name"]}""");

        Assert.Empty(before.Results);
        Assert.Equal(["Fresh"], after.Results.Select(r => r!["properties"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Archived_records_are_listed_with_archived_true_and_archivedAt()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "A" });
        sim.Archive(id);

        var live = await api.Get("/crm/v3/objects/companies?limit=100");
        var archived = await api.Get("/crm/v3/objects/companies?archived=true&limit=100");

        Assert.Empty(live.Results);
        var record = Assert.Single(archived.Results)!;
        Assert.True(record["archived"]!.GetValue<bool>());
        Assert.NotNull(record["archivedAt"]);
    }

    [Fact]
    public async Task Associations_v4_link_contacts_to_companies_with_primary_and_answer_per_version()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var company = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "A" });
        var other = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "B" });
        var contact = sim.SeedContact(new Dictionary<string, string> { ["email"] = "x@a.example" });
        string Create(string to) => $$"""{"inputs":[{"from":{"id":"{{contact}}"},"to":{"id":"{{to}}"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279},{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}""";

        var v4 = await api.Post("/crm/v4/associations/contacts/companies/batch/create", Create(company));
        var v2609 = await api.Post("/crm/associations/2026-09/contacts/companies/batch/create", Create(other));
        var read = await api.Post("/crm/v4/associations/companies/contacts/batch/read", $$"""{"inputs":[{"id":"{{company}}"},{"id":"{{other}}"}]}""");

        Assert.Equal(201, v4.Status);
        Assert.Equal(200, v2609.Status);
        Assert.Equal(other, sim.Get(contact)!["associatedcompanyid"]);
        Assert.Equal([1, 279], sim.CompaniesOf(contact)[other]);
        Assert.Equal([279], sim.CompaniesOf(contact)[company]); // one primary company: it moved
        Assert.Equal([2, 280], sim.ContactsOf(other)[contact]);
        Assert.Equal(2, read.Results.Count);
    }

    [Theory]
    [InlineData("/crm/v4/associations/contacts/companies/batch/archive", 204)]
    [InlineData("/crm/associations/2026-03/contacts/companies/batch/archive", 200)]
    [InlineData("/crm/associations/2026-09/contacts/companies/batch/archive", 200)]
    public async Task Association_batch_archive_is_204_in_v4_and_200_with_a_body_from_2026_03(string path, int status)
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var company = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "A" });
        var contact = sim.SeedContact(new Dictionary<string, string> { ["email"] = "x@a.example" }, company);

        var answer = await api.Post(path, $$"""{"inputs":[{"from":{"id":"{{contact}}"},"to":[{"id":"{{company}}"}]}]}""");

        Assert.Equal(status, answer.Status);
        Assert.Equal(status == 200, answer.Body?["status"] is not null);
        Assert.Empty(sim.CompaniesOf(contact));
        Assert.Null(sim.Get(contact)!["associatedcompanyid"]);
    }

    [Fact]
    public async Task A_changed_association_moves_the_last_modified_date_of_both_sides()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { TimeProvider = clock });
        using var _ = api;
        var company = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "A" });
        var contact = sim.SeedContact(new Dictionary<string, string> { ["email"] = "x@a.example" });
        clock.Advance(TimeSpan.FromMinutes(5));

        sim.Associate(contact, company, primary: true);

        Assert.Equal(clock.GetUtcNow(), sim.Get(company)!.UpdatedAt);
        Assert.Equal(clock.GetUtcNow(), sim.Get(contact)!.UpdatedAt);
        Assert.Equal("1", sim.Get(company)!["num_associated_contacts"]);
    }

    [Fact]
    public async Task Merge_keeps_the_primary_lists_the_merged_id_and_moves_the_links()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        var keep = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Keep" });
        var gone = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Gone" });
        var contact = sim.SeedContact(new Dictionary<string, string> { ["email"] = "m@a.example" }, gone);

        var answer = await api.Post("/crm/v3/objects/companies/merge", $$"""{"primaryObjectId":"{{keep}}","objectIdToMerge":"{{gone}}"}""");
        var read = await api.Get($"/crm/v3/objects/companies/{gone}");

        Assert.Equal(200, answer.Status);
        Assert.Equal(gone, sim.Get(keep)!["hs_merged_object_ids"]);
        Assert.Equal(keep, sim.Get(gone)!.MergedInto);
        Assert.Equal(404, read.Status);
        Assert.Equal(keep, sim.Get(contact)!["associatedcompanyid"]);
    }

    [Fact]
    public async Task Unique_property_can_be_created_once()
    {
        await using var sim = new HubSpotSimulator();
        using var api = new HubSpotApi(sim);
        const string Definition = """{"name":"concord_external_id","label":"Concord external id","groupName":"companyinformation","type":"string","fieldType":"text","hasUniqueValue":true,"formField":false}""";

        var missing = await api.Get("/crm/v3/properties/companies/concord_external_id");
        var created = await api.Post("/crm/properties/2026-09/companies", Definition);
        var again = await api.Post("/crm/v3/properties/companies", Definition);

        Assert.Equal(404, missing.Status);
        Assert.Equal(201, created.Status);
        Assert.True(created.Body!["hasUniqueValue"]!.GetValue<bool>());
        Assert.Equal(409, again.Status);
        Assert.True(sim.PropertyIsUnique("companies", Unique));
    }

    [Fact]
    public async Task A_call_without_its_scope_is_403_missing_scopes_naming_the_scope()
    {
        var options = new HubSpotSimulatorOptions();
        options.Scopes.Remove("crm.schemas.companies.write");
        await using var sim = new HubSpotSimulator(options);
        using var api = new HubSpotApi(sim);

        var answer = await api.Post("/crm/v3/properties/companies", """{"name":"x_y","type":"string","fieldType":"text"}""");

        Assert.Equal(403, answer.Status);
        Assert.Equal("MISSING_SCOPES", answer.Body!["category"]!.GetValue<string>());
        Assert.Equal("crm.schemas.companies.write", answer.Body["errors"]![0]!["context"]!["requiredGranularScopes"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_the_old_one_is_refused()
    {
        await using var sim = new HubSpotSimulator();
        using var api = new HubSpotApi(sim);
        var options = sim.Options;
        Dictionary<string, string> Form(string refresh) => new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["refresh_token"] = refresh,
        };

        var first = await api.RequestToken(Form(options.RefreshToken));
        var reused = await api.RequestToken(Form(options.RefreshToken), "/oauth/2026-09/token");
        api.Bearer = first.Body!["access_token"]!.GetValue<string>();
        var call = await api.Get("/crm/v3/objects/contacts");

        Assert.Equal(200, first.Status);
        Assert.Equal(1800, first.Body["expires_in"]!.GetValue<long>());
        Assert.NotEqual(options.RefreshToken, first.Body["refresh_token"]!.GetValue<string>());
        Assert.Equal(sim.CurrentRefreshToken, first.Body["refresh_token"]!.GetValue<string>());
        Assert.Equal(400, reused.Status);
        Assert.Equal("invalid_grant", reused.Body!["error"]!.GetValue<string>());
        Assert.Equal("BAD_REFRESH_TOKEN", reused.Body["status"]!.GetValue<string>());
        Assert.Equal(200, call.Status);
        Assert.Null(call.Header("X-HubSpot-RateLimit-Daily"));
    }

    [Fact]
    public async Task Expired_access_token_is_401_expired_authentication()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        using var api = new HubSpotApi(sim);
        var token = await api.RequestToken(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = sim.Options.ClientId,
            ["client_secret"] = sim.Options.ClientSecret,
            ["refresh_token"] = sim.Options.RefreshToken,
        });
        api.Bearer = token.Body!["access_token"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromMinutes(31));

        var answer = await api.Get("/crm/v3/objects/contacts");
        api.Bearer = "nonsense";
        var unknown = await api.Get("/crm/v3/objects/contacts");

        Assert.Equal(401, answer.Status);
        Assert.Equal("EXPIRED_AUTHENTICATION", answer.Body!["category"]!.GetValue<string>());
        Assert.Equal("INVALID_AUTHENTICATION", unknown.Body!["category"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_plan_429s_and_5xx_answer_with_hubspot_bodies_and_headers()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(2)).FailNext(1, 502);

        var throttled = await api.Get("/crm/v3/objects/companies");
        var failed = await api.Get("/crm/v3/objects/companies");

        Assert.Equal(429, throttled.Status);
        Assert.Equal("TEN_SECONDLY_ROLLING", throttled.Body!["policyName"]!.GetValue<string>());
        Assert.Equal("0", throttled.Header("X-HubSpot-RateLimit-Remaining"));
        Assert.Equal("2", throttled.Header("Retry-After"));
        Assert.NotNull(throttled.Header("X-HubSpot-Correlation-Id"));
        Assert.Equal(502, failed.Status);
        Assert.Equal("error", failed.Body!["status"]!.GetValue<string>());
        Assert.NotNull(failed.Body["correlationId"]);
        Assert.DoesNotContain("simulated", failed.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Injected_rate_limits_carry_the_policy_asked_for()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.RateLimitNext(1, HubSpotRateLimitPolicy.Daily);

        var answer = await api.Get("/crm/v3/objects/companies");

        Assert.Equal(429, answer.Status);
        Assert.Equal("DAILY", answer.Body!["policyName"]!.GetValue<string>());
        Assert.Equal(0, sim.DailyUsage);
    }

    [Fact]
    public async Task Lost_response_after_a_batch_upsert_keeps_the_write()
    {
        await using var sim = Started(out var api);
        using var _ = api;
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/batch/upsert", StringComparison.Ordinal));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("lost-1", "L"))));
        var retried = await api.Post("/crm/v3/objects/companies/batch/upsert", Upsert(("lost-1", "L")));

        Assert.False(retried.Results[0]!["new"]!.GetValue<bool>());
        Assert.Single(sim.Companies);
    }

    private static HubSpotSimulator Started(out HubSpotApi api, HubSpotSimulatorOptions? options = null)
    {
        var sim = new HubSpotSimulator(options ?? new HubSpotSimulatorOptions());
        sim.DefineProperty("companies", Unique, hasUniqueValue: true);
        api = new HubSpotApi(sim);
        return sim;
    }

    private static string Upsert(params (string Key, string Name)[] inputs) =>
        new JsonObject
        {
            ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode?)new JsonObject
            {
                ["id"] = i.Key,
                ["idProperty"] = Unique,
                ["objectWriteTraceId"] = "t-" + i.Key,
                ["properties"] = new JsonObject { ["name"] = i.Name, [Unique] = i.Key },
            }).ToArray()),
        }.ToJsonString();

    [Fact]
    public async Task Requests_over_the_configured_window_count_as_the_limit_exceeded_and_injected_429s_do_not()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = Started(out var api, new HubSpotSimulatorOptions { TenSecondlyLimit = 2, RateLimitWindow = TimeSpan.FromSeconds(1), TimeProvider = clock });
        using var _ = api;
        sim.Faults.ThrottleNext(1, TimeSpan.Zero);

        var injected = await api.Get("/crm/v3/objects/companies");
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await api.Get("/crm/v3/objects/companies")).Status);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var afterWindow = await api.Get("/crm/v3/objects/companies");

        Assert.Equal(429, injected.Status);
        Assert.Equal([200, 200, 429, 429], statuses);
        Assert.Equal(200, afterWindow.Status);
        Assert.Equal(2, sim.RateLimitExceeded);
    }
}
