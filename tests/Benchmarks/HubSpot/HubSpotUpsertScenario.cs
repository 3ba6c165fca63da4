using System.Diagnostics;
using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Testing.HubSpot;

namespace Concord.Benchmarks.HubSpot;

/// <summary>
/// 10,000 companies with 2 contacts each into the HubSpot simulator, 50 ms latency on every call, the simulator
/// enforcing 190 requests per 10 s: calls made (target ⌈10,000/100⌉ + ⌈20,000/100⌉ + link batches + set-up reads),
/// records per second against the ceiling of 1,900 records/s (190 calls × 100 records per 10 s; target ≥ 90 %), and the
/// 429s provoked (target zero). Runs with the default 10 % headroom and with 5 %, and prints when each kind of call went
/// out (the write's slices overlap them: the window's permits are not left idle between phases).
/// </summary>
public sealed class HubSpotUpsertScenario : IScenario
{
    private const int ContactsEach = 2;
    private const int TenSecondlyLimit = 190;

    public string Name => "hubspot-upsert";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var companies = smoke ? 50 : 10_000;
        var latency = TimeSpan.FromMilliseconds(smoke ? 5 : 50);
        await RunOnceAsync(50, TimeSpan.Zero, 0.1, TextWriter.Null, cancellationToken).ConfigureAwait(false); // warm-up: JIT, sockets
        foreach (var headroom in new[] { 0.1, 0.05 })
        {
            await RunOnceAsync(companies, latency, headroom, output, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunOnceAsync(int companies, TimeSpan latency, double headroom, TextWriter output, CancellationToken cancellationToken)
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TenSecondlyLimit = TenSecondlyLimit, DailyLimit = 1_000_000 });
        sim.Faults.AddLatency(latency);
        await using var hubspot = sim.CreateConnector(o =>
        {
            o.RateLimitHeadroom = headroom;
            o.Resilience.TotalRequestTimeout = TimeSpan.FromMinutes(5);
        });
        var requests = Enumerable.Range(1, companies).Select(i => Request(i)).ToList();

        var started = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        var results = await hubspot.Connector.UpsertManyAsync(requests, cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();

        var journal = sim.Journal.Entries;
        var failed = results.Count(r => !r.IsSuccess);
        var companyCalls = journal.Count(e => e.Path.EndsWith("/companies/batch/upsert", StringComparison.Ordinal));
        var contactCalls = journal.Count(e => e.Path.EndsWith("/contacts/batch/upsert", StringComparison.Ordinal));
        var linkCalls = journal.Count(e => e.Path.EndsWith("/contacts/companies/batch/create", StringComparison.Ordinal));
        var setupCalls = journal.Count(e => e.Path.Contains("/properties/", StringComparison.Ordinal));
        var throttled = journal.Count(e => e.StatusCode == 429);
        var links = companies * ContactsEach;
        var target = Ceiling(companies, 100) + Ceiling(companies * ContactsEach, 100) + Ceiling(links, 2000) + setupCalls;
        var records = companies * (1 + ContactsEach);
        var perSecond = records / stopwatch.Elapsed.TotalSeconds;
        const double Ceiling1900 = TenSecondlyLimit * 100 / 10.0;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"headroom={headroom:P0} companies={companies} contacts={companies * ContactsEach} latency={latency.TotalMilliseconds} ms per call limit={TenSecondlyLimit}/10 s failed={failed}"));
        output.WriteLine(string.Create(inv, $"calls: companies={companyCalls} contacts={contactCalls} links={linkCalls} set-up={setupCalls} total={journal.Count} (target {target}, ratio {journal.Count / (double)target:F2})"));
        output.WriteLine(string.Create(inv, $"elapsed={stopwatch.Elapsed.TotalSeconds:F2} s records/s={perSecond:F0} ceiling={Ceiling1900:F0} ratio={perSecond / Ceiling1900:F3} 429s={throttled} busiest window={sim.PeakRequestsPerWindow}/{TenSecondlyLimit}"));
        output.WriteLine(string.Create(inv, $"stored: companies={sim.Companies.Count} contacts={sim.Contacts.Count}"));
        output.WriteLine("requests sent (by arrival, from the start): " + string.Join(", ",
            new (string Kind, string Suffix)[] { ("set-up", "/properties/"), ("companies", "/companies/batch/upsert"), ("contacts", "/contacts/batch/upsert"), ("links", "/contacts/companies/batch/create") }
                .Select(k => (k.Kind, Times: journal.Where(e => e.Path.Contains(k.Suffix, StringComparison.Ordinal)).Select(e => (e.Time - started).TotalSeconds).ToList()))
                .Where(k => k.Times.Count > 0)
                .Select(k => string.Create(inv, $"{k.Kind} {k.Times.Min():F1}–{k.Times.Max():F1} s"))));
        if (failed > 0 || sim.Companies.Count != companies || sim.Contacts.Count != companies * ContactsEach || throttled > 0)
        {
            throw new InvalidOperationException("The scenario did not write every record exactly once without a 429.");
        }
    }

    private static int Ceiling(int count, int size) => (count + size - 1) / size;

    private static UpsertRequest Request(int index)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"bench-{index}");
        return new UpsertRequest { Customer = HubSpotBenchmarkData.Customer(id, ContactsEach), IdempotencyKey = IdempotencyKey.From(id) };
    }
}
