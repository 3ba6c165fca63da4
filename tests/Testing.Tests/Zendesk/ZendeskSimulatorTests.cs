using Xunit;
using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Testing.Tests.Zendesk;

public sealed class ZendeskSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Org(string name, string? externalId = null, params string[] domains) => new()
    {
        ["name"] = name,
        ["external_id"] = externalId,
        ["domain_names"] = new JsonArray([.. domains.Select(d => (JsonNode?)d)]),
    };

    [Fact]
    public async Task A_refresh_rotates_both_tokens_and_the_old_pair_stops_working()
    {
        await using var sim = new ZendeskSimulator();
        using var http = sim.CreateClient();
        var first = await ZendeskClient.RefreshAsync(http, sim.Options, sim.Options.RefreshToken);
        var second = await ZendeskClient.RefreshAsync(http, sim.Options, first["refresh_token"]!.ToString());

        var (reuse, reuseBody, _) = await ZendeskClient.SendAsync(http, HttpMethod.Post, "oauth/tokens", new JsonObject
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = first["refresh_token"]!.ToString(),
            ["client_id"] = sim.Options.ClientId,
            ["client_secret"] = sim.Options.ClientSecret,
        });
        http.DefaultRequestHeaders.Authorization = new("Bearer", first["access_token"]!.ToString());
        var (oldAccess, oldBody, _) = await ZendeskClient.SendAsync(http, HttpMethod.Get, "api/v2/organizations/1", null);
        http.DefaultRequestHeaders.Authorization = new("Bearer", second["access_token"]!.ToString());
        var (newAccess, _, _) = await ZendeskClient.SendAsync(http, HttpMethod.Get, "api/v2/organizations/1", null);

        Assert.Equal("bearer", first["token_type"]!.ToString());
        Assert.Equal(1800, first["expires_in"]!.GetValue<long>());
        Assert.NotEqual(first["refresh_token"]!.ToString(), second["refresh_token"]!.ToString());
        Assert.Equal(second["refresh_token"]!.ToString(), sim.CurrentRefreshToken);
        Assert.Equal((400, "invalid_grant"), (reuse, reuseBody!["error"]!.ToString()));
        Assert.Equal((401, "Couldn't authenticate you"), (oldAccess, oldBody!["error"]!.ToString()));
        Assert.Equal(404, newAccess);
        Assert.Equal(2, sim.Refreshes);
    }

    [Fact]
    public async Task An_access_token_expires_after_its_lifetime()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, AccessTokenLifetime = TimeSpan.FromMinutes(5) });
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (before, _, _) = await api.GetAsync("api/v2/organizations/1");
        clock.Advance(TimeSpan.FromMinutes(5));
        var (after, _, _) = await api.GetAsync("api/v2/organizations/1");

        Assert.Equal(404, before);
        Assert.Equal(401, after);
    }

    [Fact]
    public async Task Api_tokens_authenticate_as_email_slash_token_until_token_access_is_switched_off()
    {
        await using var sim = new ZendeskSimulator();
        using var good = ZendeskClient.WithApiToken(sim);
        using var bad = ZendeskClient.WithApiToken(sim, "wrong");

        var (ok, _, _) = await good.GetAsync("api/v2/organizations/show_many?ids=1");
        var (refused, body, _) = await bad.GetAsync("api/v2/organizations/show_many?ids=1");
        sim.Options.ApiTokensEnabled = false;
        var (off, _, _) = await good.GetAsync("api/v2/organizations/show_many?ids=1");

        Assert.Equal((200, 401, 401), (ok, refused, off));
        Assert.Equal("Couldn't authenticate you", body!["error"]!.ToString());
    }

    [Fact]
    public async Task A_missing_scope_is_a_403_naming_it()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { Scopes = "read" });
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, body, _) = await api.PostAsync("api/v2/organizations", new JsonObject { ["organization"] = Org("Acme") });

        Assert.Equal(403, status);
        Assert.Equal("Forbidden", body!["error"]!.ToString());
        Assert.Equal("You are missing the following required scopes: write", body["description"]!.ToString());
    }

    [Fact]
    public async Task Create_or_update_matches_by_external_id_case_insensitively_and_never_by_name()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (created, first, _) = await api.PostAsync("api/v2/organizations/create_or_update", new JsonObject { ["organization"] = Org("Acme", "ACME-1", "acme.example") });
        var (updated, second, _) = await api.PostAsync("api/v2/organizations/create_or_update", new JsonObject { ["organization"] = Org("Acme GmbH", "acme-1", "acme.example", "acme.de") });
        var (duplicate, third, _) = await api.PostAsync("api/v2/organizations/create_or_update", new JsonObject { ["organization"] = Org("  Acme GmbH ", "other") });

        Assert.Equal((201, 200, 422), (created, updated, duplicate));
        Assert.Equal(first!["organization"]!["id"]!.GetValue<long>(), second!["organization"]!["id"]!.GetValue<long>());
        Assert.Equal(["acme.example", "acme.de"], second["organization"]!["domain_names"]!.AsArray().Select(d => d!.ToString()));
        Assert.Equal("RecordInvalid", third!["error"]!.ToString());
        Assert.Equal("DuplicateValue", third["details"]!["name"]![0]!["error"]!.ToString());
        Assert.Equal("Name: Acme GmbH has already been taken", third["details"]!["name"]![0]!["description"]!.ToString());
        Assert.Single(sim.Organizations);
    }

    [Fact]
    public async Task An_update_replaces_the_whole_domain_list_and_null_clears_a_value()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);
        var id = sim.SeedOrganization("Acme", "a-1", ["acme.example", "acme.de"]);
        sim.EditOrganization(id, new JsonObject { ["details"] = "Street 1" });

        var (status, _, _) = await api.PutAsync($"api/v2/organizations/{id}.json", new JsonObject { ["organization"] = new JsonObject { ["domain_names"] = new JsonArray("acme.fr"), ["details"] = null } });

        Assert.Equal(200, status);
        Assert.Equal(["acme.fr"], sim.Organization(id)!.DomainNames.ToArray());
        Assert.Null(sim.Organization(id)!.Details);
    }

    [Fact]
    public async Task Custom_field_failures_are_listed_under_details_base_with_the_field_key()
    {
        await using var sim = new ZendeskSimulator();
        sim.DefineOrganizationField("seats", "integer");
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, body, _) = await api.PostAsync("api/v2/organizations", new JsonObject
        {
            ["organization"] = new JsonObject { ["name"] = "Acme", ["organization_fields"] = new JsonObject { ["seats"] = "many", ["unknown"] = "x" } },
        });

        Assert.Equal(422, status);
        var fieldKeys = body!["details"]!["base"]!.AsArray().Select(e => e!["field_key"]!.ToString()).ToList();
        Assert.Equal(["seats", "unknown"], fieldKeys);
    }

    [Fact]
    public async Task Create_many_is_a_job_that_goes_queued_working_completed_with_results_by_index()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, JobQueuedTime = TimeSpan.FromSeconds(1), JobWorkingTime = TimeSpan.FromSeconds(1) });
        sim.SeedOrganization("Taken");
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, started, _) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject
        {
            ["organizations"] = new JsonArray(Org("One", "o-1"), Org("Taken", "o-2"), Org("Three", "o-3")),
        });
        var id = started!["job_status"]!["id"]!.ToString();
        var queued = started["job_status"]!["status"]!.ToString();
        clock.Advance(TimeSpan.FromSeconds(1));
        var (_, working, _) = await api.GetAsync($"api/v2/job_statuses/{id}");
        Assert.DoesNotContain(sim.Organizations, o => o.ExternalId is not null);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (_, done, _) = await api.GetAsync($"api/v2/job_statuses/{id}.json");

        Assert.Equal(200, status);
        Assert.Equal("queued", queued);
        Assert.Equal("working", working!["job_status"]!["status"]!.ToString());
        var job = done!["job_status"]!;
        Assert.Equal("completed", job["status"]!.ToString());
        Assert.Equal(3, job["total"]!.GetValue<int>());
        var results = job["results"]!.AsArray();
        Assert.Equal([0, 1, 2], results.Select(r => r!["index"]!.GetValue<int>()));
        Assert.True(results[0]!["id"]!.GetValue<long>() > 0);
        Assert.Equal(("DuplicateValue", false), (results[1]!["error"]!.ToString(), results[1]!["success"]!.GetValue<bool>()));
        Assert.Contains("has already been taken", results[1]!["details"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, sim.Organizations.Count(o => o.ExternalId is not null));
    }

    [Fact]
    public async Task Job_results_are_kept_one_day_and_several_jobs_are_read_with_show_many()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, JobQueuedTime = TimeSpan.Zero, JobWorkingTime = TimeSpan.Zero });
        using var api = ZendeskClient.WithApiToken(sim); // an API token does not expire within the day
        var (_, a, _) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject { ["organizations"] = new JsonArray(Org("A", "a")) });
        var (_, b, _) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject { ["organizations"] = new JsonArray(Org("B", "b")) });
        var ids = $"{a!["job_status"]!["id"]},{b!["job_status"]!["id"]}";

        var (_, both, _) = await api.GetAsync($"api/v2/job_statuses/show_many?ids={ids}");
        clock.Advance(TimeSpan.FromHours(23));
        var (kept, _, _) = await api.GetAsync($"api/v2/job_statuses/{a["job_status"]!["id"]}");
        clock.Advance(TimeSpan.FromHours(1));
        var (gone, goneBody, _) = await api.GetAsync($"api/v2/job_statuses/{a["job_status"]!["id"]}");

        Assert.Equal(["completed", "completed"], both!["job_statuses"]!.AsArray().Select(j => j!["status"]!.ToString()));
        Assert.Equal((200, 404), (kept, gone));
        Assert.Equal("RecordNotFound", goneBody!["error"]!.ToString());
    }

    [Fact]
    public async Task The_thirty_first_running_job_is_refused_with_TooManyJobs_and_the_inflight_header_counts_down()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, JobQueuedTime = TimeSpan.FromMinutes(1) });
        using var api = await ZendeskClient.ConnectAsync(sim);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 30; i++)
        {
            (_, _, last) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject { ["organizations"] = new JsonArray(Org($"Org {i}", $"e-{i}")) });
        }

        var (status, body, response) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject { ["organizations"] = new JsonArray(Org("One more", "e-x")) });

        Assert.StartsWith("total=30; remaining=0; resets=", last!.Headers.GetValues("zendesk-ratelimit-inflight-jobs").Single(), StringComparison.Ordinal);
        Assert.Equal(429, status);
        Assert.Equal("TooManyJobs", body!["error"]!.ToString());
        Assert.Equal(30, body["current_job_ids"]!.AsArray().Count);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(30, sim.JobsCreated);
    }

    [Fact]
    public async Task More_than_100_items_in_one_job_are_refused()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, _, _) = await api.PostAsync("api/v2/organizations/create_many", new JsonObject
        {
            ["organizations"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode?)Org($"O{i}", $"x{i}"))]),
        });

        Assert.Equal(400, status);
        Assert.Equal(0, sim.JobsCreated);
    }

    [Fact]
    public async Task Update_many_with_different_changes_reports_each_by_id_and_a_missing_id_as_RecordNotFound()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, JobQueuedTime = TimeSpan.Zero, JobWorkingTime = TimeSpan.Zero });
        var id = sim.SeedOrganization("Acme", "a-1");
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, body, _) = await api.PutAsync("api/v2/organizations/update_many", new JsonObject
        {
            ["organizations"] = new JsonArray(new JsonObject { ["id"] = id, ["notes"] = "gold" }, new JsonObject { ["id"] = 42, ["notes"] = "x" }),
        });
        var (_, done, _) = await api.GetAsync($"api/v2/job_statuses/{body!["job_status"]!["id"]}");

        var results = done!["job_status"]!["results"]!.AsArray();
        Assert.Equal((id, "Updated", true), (results[0]!["id"]!.GetValue<long>(), results[0]!["status"]!.ToString(), results[0]!["success"]!.GetValue<bool>()));
        Assert.Equal(("RecordNotFound", false), (results[1]!["error"]!.ToString(), results[1]!["success"]!.GetValue<bool>()));
        Assert.Equal("gold", sim.Organization(id)!.Notes);
    }

    [Fact]
    public async Task Bulk_user_import_is_off_by_default_and_answers_403()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, body, _) = await api.PostAsync("api/v2/users/create_or_update_many", new JsonObject { ["users"] = new JsonArray(new JsonObject { ["name"] = "Ada", ["email"] = "ada@acme.example" }) });

        Assert.Equal(403, status);
        Assert.Equal("Forbidden", body!["error"]!["title"]!.ToString());
        Assert.Equal(0, sim.JobsCreated);
    }

    [Fact]
    public async Task Create_or_update_many_users_reports_by_external_id_without_index()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, BulkUserImportEnabled = true, JobQueuedTime = TimeSpan.Zero, JobWorkingTime = TimeSpan.Zero });
        var existing = sim.SeedUser("Grace", "grace@acme.example", "u-2");
        sim.SeedUser("Other", "taken@acme.example", "u-9");
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, body, _) = await api.PostAsync("api/v2/users/create_or_update_many", new JsonObject
        {
            ["users"] = new JsonArray(
                new JsonObject { ["name"] = "Ada", ["email"] = "ada@acme.example", ["external_id"] = "u-1", ["skip_verify_email"] = true },
                new JsonObject { ["name"] = "Grace Hopper", ["external_id"] = "U-2" },
                new JsonObject { ["name"] = "Clash", ["email"] = "taken@acme.example", ["external_id"] = "u-3" }),
        });
        var (_, done, _) = await api.GetAsync($"api/v2/job_statuses/{body!["job_status"]!["id"]}");

        var results = done!["job_status"]!["results"]!.AsArray();
        Assert.All(results, r => Assert.Null(r!["index"]));
        Assert.Equal(["u-1", "U-2", "u-3"], results.Select(r => r!["external_id"]!.ToString()));
        Assert.Equal(["Created", "Updated", "Failed"], results.Select(r => r!["status"]!.ToString()));
        Assert.Equal(existing, results[1]!["id"]!.GetValue<long>());
        Assert.Equal("DuplicateValue", results[2]!["error"]!.ToString());
        Assert.Equal("U-2", sim.User(existing)!.ExternalId);
        var ada = Assert.Single(sim.UsersWithExternalId("u-1"));
        Assert.Equal(("end-user", 0), (ada.Role, ada.VerificationEmailsSent));
    }

    [Fact]
    public async Task Writing_organization_id_makes_it_the_default_and_removes_other_memberships_while_a_membership_keeps_them()
    {
        await using var sim = new ZendeskSimulator();
        var a = sim.SeedOrganization("A");
        var b = sim.SeedOrganization("B");
        var c = sim.SeedOrganization("C");
        var user = sim.SeedUser("Ada", "ada@acme.example", "u-1", a);
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (added, _, _) = await api.PostAsync("api/v2/organization_memberships", new JsonObject { ["organization_membership"] = new JsonObject { ["user_id"] = user, ["organization_id"] = b } });
        var (again, againBody, _) = await api.PostAsync("api/v2/organization_memberships", new JsonObject { ["organization_membership"] = new JsonObject { ["user_id"] = user, ["organization_id"] = b } });
        var afterMembership = sim.User(user)!;
        var (_, _, _) = await api.PutAsync($"api/v2/users/{user}", new JsonObject { ["user"] = new JsonObject { ["organization_id"] = c } });

        Assert.Equal((201, 422), (added, again));
        Assert.Equal("DuplicateValue", againBody!["details"]!["user_id"]![0]!["error"]!.ToString());
        Assert.Equal(a, afterMembership.OrganizationId);
        Assert.Equal([a, b], afterMembership.OrganizationIds.ToArray());
        Assert.Equal(c, sim.User(user)!.OrganizationId);
        Assert.Equal([c], sim.User(user)!.OrganizationIds.ToArray());
    }

    [Fact]
    public async Task An_email_on_update_adds_a_secondary_identity_and_make_primary_changes_the_primary()
    {
        await using var sim = new ZendeskSimulator();
        var user = sim.SeedUser("Ada", "ada@old.example", "u-1");
        using var api = await ZendeskClient.ConnectAsync(sim);

        await api.PutAsync($"api/v2/users/{user}", new JsonObject { ["user"] = new JsonObject { ["email"] = "ada@new.example" } });
        var afterUpdate = sim.User(user)!;
        var (_, identities, _) = await api.GetAsync($"api/v2/users/{user}/identities");
        var secondary = identities!["identities"]!.AsArray().Single(i => i!["value"]!.ToString() == "ada@new.example")!["id"]!.GetValue<long>();
        await api.PutAsync($"api/v2/users/{user}/identities/{secondary}/make_primary", new JsonObject());

        Assert.Equal("ada@old.example", afterUpdate.Email);
        Assert.Equal(["ada@old.example", "ada@new.example"], afterUpdate.Emails.ToArray());
        Assert.Equal("ada@new.example", sim.User(user)!.Email);
    }

    [Fact]
    public async Task The_sixth_update_of_one_organization_within_a_minute_is_throttled()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var id = sim.SeedOrganization("Acme", "a-1");
        var other = sim.SeedOrganization("Other", "a-2");
        using var api = await ZendeskClient.ConnectAsync(sim);
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var (status, _, _) = await api.PutAsync($"api/v2/organizations/{id}", new JsonObject { ["organization"] = new JsonObject { ["notes"] = $"v{i}" } });
            statuses.Add(status);
        }

        var (otherStatus, _, _) = await api.PutAsync($"api/v2/organizations/{other}", new JsonObject { ["organization"] = new JsonObject { ["notes"] = "x" } });
        clock.Advance(TimeSpan.FromMinutes(1));
        var (later, _, _) = await api.PostAsync("api/v2/organizations/create_or_update", new JsonObject { ["organization"] = new JsonObject { ["external_id"] = "a-1", ["notes"] = "v6" } });

        Assert.Equal([200, 200, 200, 200, 200, 429], statuses);
        Assert.Equal((200, 200), (otherStatus, later));
    }

    [Fact]
    public async Task Single_user_writes_are_held_to_one_a_second_per_account()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (first, _, _) = await api.PostAsync("api/v2/users/create_or_update", new JsonObject { ["user"] = new JsonObject { ["name"] = "A", ["external_id"] = "u-1" } });
        var (second, body, response) = await api.PostAsync("api/v2/users/create_or_update", new JsonObject { ["user"] = new JsonObject { ["name"] = "B", ["external_id"] = "u-2" } });
        clock.Advance(TimeSpan.FromSeconds(1));
        var (third, _, _) = await api.PostAsync("api/v2/users/create_or_update", new JsonObject { ["user"] = new JsonObject { ["name"] = "B", ["external_id"] = "u-2" } });

        Assert.Equal((201, 429, 201), (first, second, third));
        Assert.Equal("TooManyRequests", body!["errors"]![0]!["code"]!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task The_per_minute_budget_is_enforced_and_reported_in_the_rate_limit_headers()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, RequestsPerMinute = 3 });
        using var api = await ZendeskClient.ConnectAsync(sim);
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            var (_, _, response) = await api.GetAsync("api/v2/organizations/show_many?ids=1");
            responses.Add(response);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var (recovered, _, _) = await api.GetAsync("api/v2/organizations/show_many?ids=1");

        Assert.Equal([200, 200, 200, 429], responses.Select(r => (int)r.StatusCode));
        Assert.Equal(["2", "1", "0", "0"], responses.Select(r => r.Headers.GetValues("X-Rate-Limit-Remaining").Single()));
        Assert.All(responses, r => Assert.Equal("3", r.Headers.GetValues("X-Rate-Limit").Single()));
        Assert.Equal(TimeSpan.FromSeconds(30), responses[3].Headers.RetryAfter?.Delta);
        Assert.Equal(200, recovered);
        Assert.Equal(1, sim.Throttled);
        Assert.Equal(3, sim.PeakRequestsPerMinute);
    }

    [Fact]
    public async Task Injected_faults_answer_in_Zendesk_shape_with_Retry_After_and_rate_headers()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(7));
        sim.Faults.FailNext(1, 503);
        sim.Faults.FailNext(1, 500);

        var (throttled, throttleBody, throttle) = await api.GetAsync("api/v2/organizations/1");
        var (unavailable, unavailableBody, unavailableResponse) = await api.GetAsync("api/v2/organizations/1");
        var (failed, failedBody, _) = await api.GetAsync("api/v2/organizations/1");

        Assert.Equal(429, throttled);
        Assert.Equal("TooManyRequests", throttleBody!["errors"]![0]!["code"]!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(7), throttle.Headers.RetryAfter?.Delta);
        Assert.Equal("0", throttle.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        Assert.Equal("700", throttle.Headers.GetValues("X-Rate-Limit").Single());
        Assert.Equal((503, "ServiceUnavailable"), (unavailable, unavailableBody!["error"]!.ToString()));
        Assert.NotNull(unavailableResponse.Headers.RetryAfter);
        Assert.Equal((500, "InternalServerError"), (failed, failedBody!["error"]!.ToString()));
    }

    [Fact]
    public async Task A_lost_create_many_answer_still_leaves_a_job_that_runs()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, JobQueuedTime = TimeSpan.FromSeconds(1), JobWorkingTime = TimeSpan.FromSeconds(1) });
        using var api = await ZendeskClient.ConnectAsync(sim);
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/create_many", StringComparison.Ordinal));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.PostAsync("api/v2/organizations/create_many", new JsonObject { ["organizations"] = new JsonArray(Org("A", "a")) }));
        var runningAfterLoss = sim.RunningJobs;
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((1, 1, 0), (sim.JobsCreated, runningAfterLoss, sim.RunningJobs));
        Assert.Single(sim.OrganizationsWithExternalId("a"));
    }

    [Fact]
    public async Task A_409_carries_the_DatabaseConflict_body()
    {
        await using var sim = new ZendeskSimulator();
        using var api = await ZendeskClient.ConnectAsync(sim);
        sim.ConflictNextWrites(1);

        var (status, body, _) = await api.PostAsync("api/v2/organizations", new JsonObject { ["organization"] = Org("A") });

        Assert.Equal(409, status);
        Assert.Equal(("DatabaseConflict", "Database collision"), (body!["error"]!.ToString(), body["description"]!.ToString()));
        Assert.Empty(sim.Organizations);
    }

    [Fact]
    public async Task Incremental_export_refuses_a_start_time_younger_than_a_minute_and_holds_back_the_last_minute()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        sim.SeedOrganization("Old");
        clock.Advance(TimeSpan.FromMinutes(5));
        sim.SeedOrganization("Fresh");
        clock.Advance(TimeSpan.FromSeconds(30));
        using var api = await ZendeskClient.ConnectAsync(sim);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();

        var (tooRecent, tooRecentBody, _) = await api.GetAsync($"api/v2/incremental/organizations?start_time={now - 30}");
        var (_, page, _) = await api.GetAsync("api/v2/incremental/organizations?start_time=0");
        clock.Advance(TimeSpan.FromSeconds(31));
        var (_, later, _) = await api.GetAsync("api/v2/incremental/organizations?start_time=0");

        Assert.Equal((422, "InvalidValue"), (tooRecent, tooRecentBody!["error"]!.ToString()));
        Assert.Equal(["Old"], page!["organizations"]!.AsArray().Select(o => o!["name"]!.ToString()));
        Assert.Equal(["Old", "Fresh"], later!["organizations"]!.AsArray().Select(o => o!["name"]!.ToString()));
        Assert.True(later["end_of_stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Incremental_pages_keep_one_second_together_and_the_next_page_repeats_the_boundary()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        sim.SeedOrganization("A");
        clock.Advance(TimeSpan.FromSeconds(1));
        sim.SeedOrganization("B");
        sim.SeedOrganization("C");
        clock.Advance(TimeSpan.FromSeconds(1));
        sim.SeedOrganization("D");
        clock.Advance(TimeSpan.FromMinutes(2));
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, first, _) = await api.GetAsync("api/v2/incremental/organizations?start_time=0&per_page=2");
        var end = first!["end_time"]!.GetValue<long>();
        var (_, second, _) = await api.GetAsync($"api/v2/incremental/organizations?start_time={end}&per_page=2");

        Assert.Equal(["A", "B", "C"], first["organizations"]!.AsArray().Select(o => o!["name"]!.ToString()));
        Assert.False(first["end_of_stream"]!.GetValue<bool>());
        Assert.Equal(Start.AddSeconds(1).ToUnixTimeSeconds(), end);
        Assert.Contains($"start_time={end}", first["next_page"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["B", "C", "D"], second!["organizations"]!.AsArray().Select(o => o!["name"]!.ToString()));
        Assert.True(second["end_of_stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Deleted_organizations_come_with_deleted_at_and_deleted_users_inactive()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var org = sim.SeedOrganization("Gone");
        var user = sim.SeedUser("Ada", "ada@acme.example", "u-1", org);
        clock.Advance(TimeSpan.FromSeconds(5));
        sim.DeleteOrganization(org);
        sim.DeleteUser(user);
        clock.Advance(TimeSpan.FromMinutes(2));
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, organizations, _) = await api.GetAsync("api/v2/incremental/organizations?start_time=0");
        var (_, users, _) = await api.GetAsync("api/v2/incremental/users/cursor?start_time=0");
        var (show, _, _) = await api.GetAsync($"api/v2/organizations/{org}");

        Assert.NotNull(organizations!["organizations"]![0]!["deleted_at"]);
        Assert.False(users!["users"]![0]!["active"]!.GetValue<bool>());
        Assert.Equal(404, show);
    }

    [Fact]
    public async Task The_user_cursor_export_pages_by_cursor_and_an_expired_cursor_is_refused()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        for (var i = 0; i < 3; i++)
        {
            sim.SeedUser($"U{i}", $"u{i}@acme.example", $"u-{i}");
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, first, _) = await api.GetAsync("api/v2/incremental/users/cursor?start_time=0&per_page=2");
        var cursor = first!["after_cursor"]!.ToString();
        var (_, second, _) = await api.GetAsync($"api/v2/incremental/users/cursor?cursor={Uri.EscapeDataString(cursor)}&per_page=2");
        sim.ExpireExportCursors();
        var (expired, _, _) = await api.GetAsync($"api/v2/incremental/users/cursor?cursor={Uri.EscapeDataString(cursor)}");

        Assert.Equal(["U0", "U1"], first["users"]!.AsArray().Select(u => u!["name"]!.ToString()));
        Assert.False(first["end_of_stream"]!.GetValue<bool>());
        Assert.Equal(["U2"], second!["users"]!.AsArray().Select(u => u!["name"]!.ToString()));
        Assert.True(second["end_of_stream"]!.GetValue<bool>());
        Assert.Equal(422, expired);
    }

    [Fact]
    public async Task The_incremental_family_is_held_to_ten_requests_a_minute()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        clock.Advance(TimeSpan.FromMinutes(2));
        using var api = await ZendeskClient.ConnectAsync(sim);
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            var (status, _, _) = await api.GetAsync(i % 2 == 0 ? "api/v2/incremental/organizations?start_time=0" : "api/v2/incremental/users/cursor?start_time=0");
            statuses.Add(status);
        }

        var (other, _, _) = await api.GetAsync("api/v2/organizations/show_many?ids=1");

        Assert.Equal([.. Enumerable.Repeat(200, 10), 429], statuses);
        Assert.Equal(200, other);
    }

    [Fact]
    public async Task Search_finds_organizations_by_domain_and_users_by_email()
    {
        await using var sim = new ZendeskSimulator();
        var org = sim.SeedOrganization("Acme", "a-1", ["acme.example"]);
        sim.SeedOrganization("Other", "a-2", ["other.example"]);
        var user = sim.SeedUser("Ada", "ada@acme.example", "u-1", org);
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, byDomain, _) = await api.GetAsync("api/v2/search?query=" + Uri.EscapeDataString("type:organization domain_names:\"acme.example\""));
        var (_, byEmail, _) = await api.GetAsync("api/v2/users/search?query=" + Uri.EscapeDataString("email:ADA@acme.example"));
        var (_, byName, _) = await api.GetAsync("api/v2/organizations/search?name=acme");

        Assert.Equal([org], byDomain!["results"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()));
        Assert.Equal([user], byEmail!["users"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()));
        Assert.Equal([org], byName!["organizations"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Organization_members_page_by_cursor_and_offset_paging_stops_at_page_100()
    {
        await using var sim = new ZendeskSimulator();
        var org = sim.SeedOrganization("Acme");
        for (var i = 0; i < 3; i++)
        {
            sim.SeedUser($"U{i}", organizationId: org);
        }

        using var api = await ZendeskClient.ConnectAsync(sim);

        var (_, first, _) = await api.GetAsync($"api/v2/organizations/{org}/users?page[size]=2");
        var next = first!["links"]!["next"]!.ToString();
        var (_, second, _) = await api.GetAsync(next);
        var (beyond, _, _) = await api.GetAsync($"api/v2/organizations/{org}/users?page=101&per_page=100");

        Assert.True(first["meta"]!["has_more"]!.GetValue<bool>());
        Assert.Equal(2, first["users"]!.AsArray().Count);
        Assert.Single(second!["users"]!.AsArray());
        Assert.False(second["meta"]!["has_more"]!.GetValue<bool>());
        Assert.Equal(400, beyond);
    }

    [Fact]
    public async Task A_merged_user_leaves_its_organizations_and_the_winner_takes_its_emails()
    {
        await using var sim = new ZendeskSimulator();
        var org = sim.SeedOrganization("Acme");
        var loser = sim.SeedUser("Ada L", "ada@old.example", "u-1", org);
        var winner = sim.SeedUser("Ada", "ada@new.example", "u-2", org);
        using var api = await ZendeskClient.ConnectAsync(sim);

        var (status, _, _) = await api.PutAsync($"api/v2/users/{loser}/merge", new JsonObject { ["user"] = new JsonObject { ["id"] = winner } });
        var (_, members, _) = await api.GetAsync($"api/v2/organizations/{org}/users");

        Assert.Equal(200, status);
        Assert.Equal((false, (long?)winner), (sim.User(loser)!.Active, sim.User(loser)!.MergedInto));
        Assert.Equal(["ada@new.example", "ada@old.example"], sim.User(winner)!.Emails.ToArray());
        Assert.Equal([winner], members!["users"]!.AsArray().Select(u => u!["id"]!.GetValue<long>()));
        Assert.Equal(org.ToString(CultureInfo.InvariantCulture), sim.User(loser)!.OrganizationId?.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_request_budget_applies_to_the_configured_window_and_counts_what_exceeded_it()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, RequestsPerMinute = 2, RateLimitWindow = TimeSpan.FromSeconds(5) });
        using var api = await ZendeskClient.ConnectAsync(sim);
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(1));
        var (injected, _, _) = await api.GetAsync("api/v2/organizations/show_many?ids=1");

        var statuses = new List<int>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 3; i++)
        {
            var (status, _, response) = await api.GetAsync("api/v2/organizations/show_many?ids=1");
            statuses.Add(status);
            refused = status == 429 ? response : refused;
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        var (recovered, _, _) = await api.GetAsync("api/v2/organizations/show_many?ids=1");

        Assert.Equal(429, injected);
        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(TimeSpan.FromSeconds(5), refused!.Headers.RetryAfter?.Delta);
        Assert.Equal(200, recovered);
        Assert.Equal(1, sim.RateLimitExceeded);
    }
}
