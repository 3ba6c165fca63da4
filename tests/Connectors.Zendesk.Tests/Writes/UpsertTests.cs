using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Connectors.Zendesk.Tests.Writes;

public sealed class UpsertTests
{
    private static ZendeskSimulator Bulk(Action<ZendeskSimulatorOptions>? configure = null)
    {
        var options = new ZendeskSimulatorOptions { BulkUserImportEnabled = true };
        configure?.Invoke(options);
        return new ZendeskSimulator(options);
    }

    [Fact]
    public async Task One_customer_goes_through_create_or_update_keyed_on_external_id()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();

        var first = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("one-1", contacts: 1)));
        var second = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("one-1", contacts: 1, name: "Renamed")));

        Assert.Equal((UpsertOutcome.Created, UpsertOutcome.Updated), (first.Outcome, second.Outcome));
        Assert.Equal(2, sim.Journal.Calls("POST", "/api/v2/organizations/create_or_update.json").Count);
        Assert.Empty(sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json"));
        var organization = Assert.Single(sim.Organizations);
        Assert.Equal(("Renamed", "one-1"), (organization.Name, organization.ExternalId));
    }

    [Fact]
    public async Task Many_customers_go_through_create_many_for_new_keys_and_update_many_for_known_ones()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        await zendesk.Connector.UpsertManyAsync(Customers.Requests(3));

        var requests = Customers.Requests(3).Select((r, i) => i == 0 ? r : Customers.Request(r.Customer with { Notes = "changed" })).Concat(Customers.Requests(2, prefix: "b")).ToList();
        var results = await zendesk.Connector.UpsertManyAsync(requests);

        Assert.Equal([UpsertOutcome.Unchanged, UpsertOutcome.Updated, UpsertOutcome.Updated, UpsertOutcome.Created, UpsertOutcome.Created], results.Select(r => r.Outcome));
        Assert.Equal(2, sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json").Count);
        var update = Assert.Single(sim.Journal.Calls("PUT", "/api/v2/organizations/update_many.json"));
        Assert.Equal(2, JsonNode.Parse(update.Body!)!["organizations"]!.AsArray().Count);
        Assert.Equal(5, sim.Organizations.Count);
    }

    [Fact]
    public async Task Jobs_carry_at_most_100_items()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(250));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        var sizes = sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json").Select(e => JsonNode.Parse(e.Body!)!["organizations"]!.AsArray().Count).ToList();
        Assert.Equal([50, 100, 100], sizes.Order());
        Assert.Equal(250, sim.Organizations.Count);
    }

    [Fact]
    public async Task No_more_jobs_are_in_flight_than_allowed()
    {
        await using var sim = Bulk(o => o.JobWorkingTime = TimeSpan.FromMilliseconds(200));
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.BatchSize = 1;
            o.MaxJobsInFlight = 3;
        });

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(10));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(10, sim.JobsCreated);
        Assert.Equal(3, sim.PeakRunningJobs);
    }

    [Fact]
    public async Task The_inflight_jobs_header_holds_submissions_when_the_account_has_no_slot_left()
    {
        await using var sim = Bulk(o =>
        {
            o.JobLimit = 2;
            o.JobWorkingTime = TimeSpan.FromMilliseconds(200);
        });
        await using var zendesk = sim.CreateConnector(o => o.BatchSize = 1);

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(6));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(6, sim.Organizations.Count);
        Assert.Equal(2, sim.PeakRunningJobs);
        Assert.Equal(0, sim.Throttled);
    }

    [Fact]
    public async Task TooManyJobs_is_waited_out_and_the_job_resubmitted()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        const string TooManyJobs = """{"error":"TooManyJobs","description":"Number of allowed concurrent jobs exceeded.","current_job_ids":["a","b"]}""";

        // Four refusals: three the HTTP pipeline retries after Retry-After, the fourth reaches the job runner as RateLimited.
        sim.FailNextApiCalls(4, 429, TooManyJobs, r => r.Path.EndsWith("/create_many.json", StringComparison.Ordinal), TimeSpan.FromSeconds(1));
        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(2));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(5, sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json").Count);
        Assert.Equal(1, sim.JobsCreated);
        Assert.Equal(2, sim.Organizations.Count);
    }

    [Fact]
    public async Task Jobs_are_polled_together_with_show_many()
    {
        await using var sim = Bulk(o => o.JobWorkingTime = TimeSpan.FromMilliseconds(100));
        await using var zendesk = sim.CreateConnector(o => o.BatchSize = 10);

        await zendesk.Connector.UpsertManyAsync(Customers.Requests(50));

        var polls = sim.Journal.Calls("GET", "/api/v2/job_statuses/show_many.json");
        Assert.NotEmpty(polls);
        Assert.Contains(polls, p => p.Query["ids"].Split(',').Length > 1);
        Assert.Empty(sim.Journal.Where(e => e.Path.StartsWith("/api/v2/job_statuses/", StringComparison.Ordinal) && !e.Path.EndsWith("show_many.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_running_job_is_polled_with_a_doubling_backoff_up_to_the_maximum()
    {
        await using var sim = Bulk(o =>
        {
            o.JobQueuedTime = TimeSpan.Zero;
            o.JobWorkingTime = TimeSpan.FromMilliseconds(900);
        });
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.JobPollInitialDelay = TimeSpan.FromMilliseconds(25);
            o.JobPollMaxDelay = TimeSpan.FromMilliseconds(200);
        });

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(3));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        var previous = Assert.Single(sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json")).Time;
        var polls = sim.Journal.Calls("GET", "/api/v2/job_statuses/show_many.json").Select(p => p.Time).ToList();

        // Each wait is at least the one before doubled (25, 50, 100, 200 ms), then the maximum; a busy machine only waits
        // longer. Polling every 25 ms would have made about 36 polls in the job's 900 ms, this backoff about 7.
        var least = 25.0;
        foreach (var poll in polls)
        {
            Assert.True((poll - previous).TotalMilliseconds >= least * 0.9, $"a poll {(poll - previous).TotalMilliseconds:F0} ms after the one before, expected at least {least} ms");
            previous = poll;
            least = Math.Min(least * 2, 200);
        }

        Assert.InRange(polls.Count, 2, 9);
    }

    [Fact]
    public async Task One_contact_named_by_two_customers_of_a_batch_is_written_once_and_both_learn_its_id()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var shared = Customers.Person("shared", 1);
        var first = Customers.Company("dup-a") with { Contacts = [shared] };
        var second = Customers.Company("dup-b") with { Contacts = [shared] };

        var results = await zendesk.Connector.UpsertManyAsync([Customers.Request(first), Customers.Request(second)]);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        var user = Assert.Single(sim.Users);
        Assert.All(results, r => Assert.Equal(user.Id.ToString(CultureInfo.InvariantCulture), r.ContactExternalIds["shared-c1"]));
        var writes = sim.Journal.Calls("POST", "/api/v2/users/create_or_update_many.json");
        Assert.Equal(1, writes.Sum(w => JsonNode.Parse(w.Body!)!["users"]!.AsArray().Count));
    }

    [Fact]
    public async Task Shuffled_job_results_still_reach_the_right_inputs()
    {
        await using var sim = Bulk(o =>
        {
            o.ShuffleJobResults = true;
            o.Seed = 3;
        });
        await using var zendesk = sim.CreateConnector();
        var requests = Customers.Requests(12, contactsEach: 2);

        var results = await zendesk.Connector.UpsertManyAsync(requests);

        for (var i = 0; i < requests.Count; i++)
        {
            var key = requests[i].Customer.Provenance.CanonicalId!;
            var organization = Assert.Single(sim.OrganizationsWithExternalId(key));
            Assert.Equal(organization.Id.ToString(CultureInfo.InvariantCulture), results[i].ExternalId);
            foreach (var contact in requests[i].Customer.Contacts)
            {
                var user = Assert.Single(sim.UsersWithExternalId(contact.Id!));
                Assert.Equal(user.Id.ToString(CultureInfo.InvariantCulture), results[i].ContactExternalIds[contact.Id!]);
                Assert.Equal(organization.Id, user.OrganizationId);
            }
        }
    }

    [Fact]
    public async Task Job_results_carrying_only_the_email_reach_the_input_with_that_email()
    {
        // As observed for users/create_or_update_many: no index, and here only the email that identified each user, listed out of order.
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var customer = Customers.Company("em-1", contacts: 2);
        var first = sim.SeedUser("Ada Lovelace1", "ada1@em-1.example");
        var second = sim.SeedUser("Ada Lovelace2", "ada2@em-1.example");
        sim.FailNextApiCalls(1, 200, """{"job_status":{"id":"email-job","url":"https://sim/api/v2/job_statuses/email-job","job_type":"Bulk Create or Update Users","total":2,"progress":0,"status":"queued","message":null,"results":null}}""", r => r.Is("POST", "/api/v2/users/create_or_update_many.json"));
        sim.FailNextApiCalls(1, 200, $$"""{"job_statuses":[{"id":"email-job","url":"https://sim/api/v2/job_statuses/email-job","job_type":"Bulk Create or Update Users","total":2,"progress":2,"status":"completed","message":"Completed","results":[{"id":{{second}},"status":"Updated","success":true,"email":"ada2@em-1.example"},{"id":{{first}},"status":"Updated","success":true,"email":"ada1@em-1.example"}]}]}""", r => r.Path.Contains("job_statuses/show_many", StringComparison.Ordinal) && r.Query.TryGetValue("ids", out var ids) && ids.Contains("email-job", StringComparison.Ordinal));

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(customer));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Single(sim.Journal.Calls("POST", "/api/v2/users/create_or_update_many.json"));
        Assert.Equal(first.ToString(CultureInfo.InvariantCulture), result.ContactExternalIds["em-1-c1"]);
        Assert.Equal(second.ToString(CultureInfo.InvariantCulture), result.ContactExternalIds["em-1-c2"]);
    }

    [Fact]
    public async Task An_input_its_job_says_nothing_about_fails_instead_of_passing_as_written()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        sim.DropNextJobResults(1);

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(3));

        Assert.True(results[0].IsSuccess);
        Assert.True(results[1].IsSuccess);
        Assert.Equal(UpsertOutcome.Failed, results[2].Outcome);
        Assert.Equal(ErrorCategory.Transient, results[2].Error!.Category);
        Assert.Contains("without a result", results[2].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_job_fails_its_inputs_as_transient_and_a_retry_writes_them_once()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        sim.FailNextJobs(1);

        var failed = await zendesk.Connector.UpsertManyAsync(Customers.Requests(2));
        var retried = await zendesk.Connector.UpsertManyAsync(Customers.Requests(2));

        Assert.All(failed, r => Assert.Equal(ErrorCategory.Transient, r.Error?.Category));
        Assert.All(retried, r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        Assert.Equal(2, sim.Organizations.Count);
    }

    [Fact]
    public async Task Inputs_with_one_canonical_id_are_coalesced_into_one_write_and_share_its_result()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var requests = new[]
        {
            Customers.Request(Customers.Company("dup-1", name: "First")),
            Customers.Request(Customers.Company("other-1")),
            Customers.Request(Customers.Company("DUP-1", name: "Last")),
        };

        var results = await zendesk.Connector.UpsertManyAsync(requests);

        var create = Assert.Single(sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json"));
        Assert.Equal(2, JsonNode.Parse(create.Body!)!["organizations"]!.AsArray().Count);
        Assert.Equal(results[0], results[2]);
        Assert.Equal("Last", Assert.Single(sim.OrganizationsWithExternalId("dup-1")).Name);
    }

    [Fact]
    public async Task A_known_id_is_updated_by_id_and_never_created_again()
    {
        await using var sim = Bulk();
        var id = sim.SeedOrganization("Hand made", externalId: null, ["hand.example"]);
        await using var zendesk = sim.CreateConnector();
        var known = id.ToString(CultureInfo.InvariantCulture);

        var one = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("k-1"), known));
        var many = await zendesk.Connector.UpsertManyAsync([Customers.Request(Customers.Company("k-1", name: "Again"), known)]);

        Assert.Equal((UpsertOutcome.Updated, known), (one.Outcome, one.ExternalId));
        Assert.Equal((UpsertOutcome.Updated, known), (many[0].Outcome, many[0].ExternalId));
        var organization = Assert.Single(sim.Organizations);
        Assert.Equal(("Again", "k-1"), (organization.Name, organization.ExternalId));
        Assert.Empty(sim.Journal.Calls("POST", "/api/v2/organizations/create_or_update.json"));
    }

    [Fact]
    public async Task A_known_id_that_no_longer_exists_is_NotFound_not_a_second_create()
    {
        await using var sim = Bulk();
        var id = sim.SeedOrganization("Gone", "g-1");
        sim.DeleteOrganization(id);
        await using var zendesk = sim.CreateConnector();
        var known = id.ToString(CultureInfo.InvariantCulture);

        var one = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("g-1"), known));
        var many = await zendesk.Connector.UpsertManyAsync([Customers.Request(Customers.Company("g-1"), known)]);

        Assert.Equal(ErrorCategory.NotFound, one.Error?.Category);
        Assert.Equal(ErrorCategory.NotFound, many[0].Error?.Category);
        Assert.Single(sim.Organizations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_namesake_without_external_id_that_shares_the_domain_is_adopted(bool many)
    {
        await using var sim = Bulk();
        var id = sim.SeedOrganization("Acme", externalId: null, ["acme.example"]);
        await using var zendesk = sim.CreateConnector();
        var request = Customers.Request(Customers.Company("acme-1", name: "Acme", domain: "acme.example"));

        var result = many ? (await zendesk.Connector.UpsertManyAsync([request]))[0] : await zendesk.Connector.UpsertAsync(request);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), result.ExternalId);
        var organization = Assert.Single(sim.Organizations);
        Assert.Equal("acme-1", organization.ExternalId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_namesake_that_shares_nothing_is_a_Conflict_naming_it_and_nothing_is_written(bool many)
    {
        await using var sim = Bulk();
        var id = sim.SeedOrganization("Acme", externalId: null, ["other.example"]);
        await using var zendesk = sim.CreateConnector();
        var request = Customers.Request(Customers.Company("acme-1", name: "Acme", domain: "acme.example"));

        var result = many ? (await zendesk.Connector.UpsertManyAsync([request]))[0] : await zendesk.Connector.UpsertAsync(request);

        Assert.Equal(ErrorCategory.Conflict, result.Error?.Category);
        Assert.Contains(id.ToString(CultureInfo.InvariantCulture), result.Error!.Message, StringComparison.Ordinal);
        var organization = Assert.Single(sim.Organizations);
        Assert.Null(organization.ExternalId);
    }

    [Fact]
    public async Task Cleared_values_are_sent_as_cleared()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var full = Customers.Company("clear-1") with { Currency = "EUR", Tags = ["a", "b"] };
        await zendesk.Connector.UpsertManyAsync([Customers.Request(full)]);

        var cleared = full with { Domain = null, Website = null, Notes = null, Currency = null, Tags = [], Addresses = [] };
        var result = await zendesk.Connector.UpsertManyAsync([Customers.Request(cleared)]);

        Assert.Equal(UpsertOutcome.Updated, result[0].Outcome);
        var organization = Assert.Single(sim.Organizations);
        Assert.Empty(organization.DomainNames);
        Assert.Null(organization.Notes);
        Assert.True(string.IsNullOrEmpty(organization.Details));
        Assert.Empty(organization.Tags);
        Assert.Null(organization.Fields["concord_currency"]);
    }

    [Fact]
    public async Task A_contact_without_a_canonical_id_is_keyed_on_the_customer_and_its_email_and_written_once()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var customer = Customers.Company("nokey-1", contacts: 1);
        customer = customer with { Contacts = [customer.Contacts[0] with { Id = null }] };

        var first = await zendesk.Connector.UpsertManyAsync([Customers.Request(customer)]);
        var second = await zendesk.Connector.UpsertManyAsync([Customers.Request(customer)]);
        var read = await zendesk.Connector.GetAsync(first[0].ExternalId!);

        Assert.True(first[0].IsSuccess, first[0].Error?.Message);
        Assert.Equal(UpsertOutcome.Unchanged, second[0].Outcome);
        var user = Assert.Single(sim.Users);
        Assert.StartsWith("nokey-1/c/", user.ExternalId, StringComparison.Ordinal);
        Assert.Null(Assert.Single(read!.Contacts).Id);
        Assert.Empty(first[0].ContactExternalIds);
    }

    [Fact]
    public async Task Contacts_are_end_users_created_without_a_verification_email()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("users-1", contacts: 2)));

        Assert.Equal(2, result.ContactExternalIds.Count);
        Assert.All(sim.Users, u =>
        {
            Assert.Equal("end-user", u.Role);
            Assert.Equal(0, u.VerificationEmailsSent);
            Assert.Equal(long.Parse(result.ExternalId!, CultureInfo.InvariantCulture), u.OrganizationId);
            Assert.Equal("+442079460000", u.Phone);
            Assert.Equal("en-GB", u.Locale);
        });
        Assert.Single(sim.Journal.Calls("POST", "/api/v2/users/create_or_update_many.json"));
    }

    [Fact]
    public async Task With_bulk_import_off_users_are_written_one_by_one_and_the_log_says_so_once()
    {
        await using var sim = new ZendeskSimulator(); // bulk user import is off by default, as in Zendesk
        await using var zendesk = sim.CreateConnector(services: s => s.AddLogging(b => b.AddFakeLogging()));

        var first = await zendesk.Connector.UpsertManyAsync(Customers.Requests(2, contactsEach: 1));
        var second = await zendesk.Connector.UpsertManyAsync(Customers.Requests(1, contactsEach: 1, prefix: "b"));

        Assert.All(first.Concat(second), r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(3, sim.Users.Count);
        Assert.Single(sim.Journal.Calls("POST", "/api/v2/users/create_or_update_many.json"));
        Assert.Equal(3, sim.Journal.Calls("POST", "/api/v2/users/create_or_update.json").Count);
        Assert.Single(zendesk.Services.GetFakeLogCollector().GetSnapshot(), l => l.Message.Contains("bulk user import is not enabled", StringComparison.Ordinal));
        Assert.Equal(0, sim.Throttled);
    }

    [Fact]
    public async Task A_user_in_another_organization_keeps_it_and_joins_ours_as_a_membership()
    {
        await using var sim = Bulk();
        var elsewhere = sim.SeedOrganization("Elsewhere");
        var userId = sim.SeedUser("Ada Lovelace1", "ada1@mem-1.example", "mem-1-c1", elsewhere);
        await using var zendesk = sim.CreateConnector();

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("mem-1", contacts: 1)));

        var ours = long.Parse(result.ExternalId!, CultureInfo.InvariantCulture);
        var user = sim.User(userId)!;
        Assert.Equal(elsewhere, user.OrganizationId);
        Assert.Equal([elsewhere, ours], user.OrganizationIds.Order().ToArray());
        Assert.Equal(userId.ToString(CultureInfo.InvariantCulture), result.ContactExternalIds["mem-1-c1"]);
    }

    [Fact]
    public async Task A_changed_primary_email_becomes_a_new_primary_identity()
    {
        await using var sim = Bulk();
        await using var zendesk = sim.CreateConnector();
        var customer = Customers.Company("mail-1", contacts: 1);
        await zendesk.Connector.UpsertAsync(Customers.Request(customer));
        var contact = customer.Contacts[0] with { Emails = [new EmailAddress { Address = "ada@new.example" }] };

        await zendesk.Connector.UpsertAsync(Customers.Request(customer with { Contacts = [contact] }));

        var user = Assert.Single(sim.Users);
        Assert.Equal("ada@new.example", user.Email);
        Assert.Contains("ada1@mail-1.example", user.Emails);
        Assert.Equal(0, user.VerificationEmailsSent);
    }

    [Fact]
    public async Task An_email_another_user_holds_fails_the_customer_as_a_conflict()
    {
        await using var sim = Bulk();
        sim.SeedUser("Someone", "ada1@clash-1.example", "someone-else");
        await using var zendesk = sim.CreateConnector();

        var result = await zendesk.Connector.UpsertManyAsync([Customers.Request(Customers.Company("clash-1", contacts: 1))]);

        Assert.Equal(ErrorCategory.Conflict, result[0].Error?.Category);
        Assert.Single(sim.Organizations);
        Assert.Single(sim.Users);
    }

    [Fact]
    public async Task Repeated_single_writes_of_one_organization_are_paced_under_five_a_minute_not_refused()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = Bulk(o => o.TimeProvider = clock);
        await using var zendesk = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock));
        for (var i = 0; i < 5; i++)
        {
            var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("pace-1", name: $"Name {i}")));
            Assert.True(result.IsSuccess, result.Error?.Message);
        }

        var sixth = zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("pace-1", name: "Name 5")));
        // Bounded guard on the real clock: unpaced, the sixth write would come back at once (a 429 from the simulator).
        var waited = await Task.WhenAny(sixth, Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System)) != sixth;
        clock.Advance(TimeSpan.FromSeconds(62));
        var last = await sixth;

        Assert.True(waited);
        Assert.True(last.IsSuccess, last.Error?.Message);
        Assert.Equal(0, sim.Throttled);
        Assert.Equal("Name 5", Assert.Single(sim.Organizations).Name);
    }
}
