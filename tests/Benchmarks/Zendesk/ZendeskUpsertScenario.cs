using System.Diagnostics;
using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Connectors.Zendesk;
using Concord.Testing.Zendesk;

namespace Concord.Benchmarks.Zendesk;

/// <summary>
/// 10,000 organizations with 2 end users each into the Zendesk simulator, 50 ms latency on every call, the simulator
/// enforcing 700 requests a minute (Enterprise) and bulk user import on: calls made (lookups, jobs, job polls), records
/// per second against the ceiling the budget sets (700 requests a minute × 100 records per job, halved when every job
/// costs a poll), 429s provoked (target zero), and the connector's own job and poll counts. The connector runs with its
/// production polling delays (1 s doubling to 15 s); the simulator's jobs take 1 s.
/// </summary>
public sealed class ZendeskUpsertScenario : IScenario
{
    public string Name => "zendesk-upsert";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var organizations = smoke ? 20 : 10_000;
        var latency = TimeSpan.FromMilliseconds(smoke ? 5 : 50);
        const int UsersEach = 2;
        const int Budget = 700;

        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions
        {
            RequestsPerMinute = Budget,
            BulkUserImportEnabled = true,
            JobQueuedTime = TimeSpan.FromMilliseconds(smoke ? 10 : 500),
            JobWorkingTime = TimeSpan.FromMilliseconds(smoke ? 10 : 500),
        });
        sim.Faults.AddLatency(latency);
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.Plan = ZendeskPlan.Enterprise;
            o.JobPollInitialDelay = TimeSpan.FromSeconds(smoke ? 0.05 : 1);
            o.JobPollMaxDelay = TimeSpan.FromSeconds(smoke ? 0.2 : 15);
        });
        var requests = Enumerable.Range(1, organizations).Select(i => Request(i, UsersEach)).ToList();

        var stopwatch = Stopwatch.StartNew();
        var results = await zendesk.Connector.UpsertManyAsync(requests, cancellationToken);
        stopwatch.Stop();

        var failed = results.Count(r => !r.IsSuccess);
        var journal = sim.Journal.Entries;
        int Count(string method, string suffix) => journal.Count(e => e.Method == method && e.Path.EndsWith(suffix, StringComparison.Ordinal));
        var orgLookups = Count("GET", "/organizations/show_many.json");
        var userLookups = Count("GET", "/users/show_many.json");
        var orgJobs = Count("POST", "/organizations/create_many.json") + Count("PUT", "/organizations/update_many.json");
        var userJobs = Count("POST", "/users/create_or_update_many.json");
        var polls = Count("GET", "/job_statuses/show_many.json");
        var setup = journal.Count(e => e.Path.Contains("_fields", StringComparison.Ordinal));
        var api = journal.Count(e => e.Path.StartsWith("/api/v2/", StringComparison.Ordinal));
        var throttled = journal.Count(e => e.StatusCode == 429);
        var records = organizations * (1 + UsersEach);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var jobs = orgJobs + userJobs;

        // The ceiling: 700 requests a minute, 100 records a job. Every job costs its submission; polls and lookups are the rest.
        var ceiling = Budget * 100 / 60.0;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"organizations={organizations} users={organizations * UsersEach} latency={latency.TotalMilliseconds} ms per call budget={Budget}/min (connector gate {zendesk.Connector.RequestsPerMinute}/min) failed={failed}"));
        output.WriteLine(string.Create(inv, $"calls: lookups={orgLookups}+{userLookups} jobs={orgJobs}+{userJobs} polls={polls} fields={setup} token={sim.TokenRequests} api total={api}"));
        output.WriteLine(string.Create(inv, $"polls per job={(jobs == 0 ? 0 : (double)polls / jobs):F2} requests per job={(jobs == 0 ? 0 : (double)api / jobs):F2} peak jobs in flight={sim.PeakRunningJobs} peak requests in a minute={sim.PeakRequestsPerMinute}"));
        output.WriteLine(string.Create(inv, $"elapsed={seconds:F1} s records/s={records / seconds:F0} ceiling={ceiling:F0} records/s at one request per 100 records, {ceiling / 2:F0} when each job costs one poll; this run: {records / seconds / ceiling:P0} of the first"));
        output.WriteLine(string.Create(inv, $"429s provoked={throttled} (simulator-throttled={sim.Throttled})"));
        output.WriteLine(string.Create(inv, $"stored: organizations={sim.Organizations.Count} users={sim.Users.Count}"));
        if (failed > 0 || sim.Organizations.Count != organizations || sim.Users.Count != organizations * UsersEach)
        {
            throw new InvalidOperationException("The scenario did not write every record exactly once.");
        }

        if (throttled > 0)
        {
            throw new InvalidOperationException("The connector provoked 429s.");
        }
    }

    private static UpsertRequest Request(int index, int users)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"bench-{index}");
        return new UpsertRequest
        {
            Customer = ZendeskData.Customer(id, users),
            IdempotencyKey = IdempotencyKey.From(id),
        };
    }
}
