using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Concord.Canonical.Connectors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.Writes;

/// <summary>
/// A write with more contacts than one association batch (2,000) goes in slices side by side: a slice links its contacts
/// as soon as its own are written, and the write keeps its calls in flight while one slice waits.
/// </summary>
public sealed class PipelineTests
{
    // 210 customers with 10 contacts: slice 1 holds customers 1-200 (2,000 contacts), slice 2 customers 201-210.
    private static readonly IReadOnlyList<UpsertRequest> Requests = Customers.Requests(210, contactsEach: 10, prefix: "slice");

    [Fact]
    public async Task A_slice_links_its_contacts_while_a_later_slice_still_waits_for_its_companies()
    {
        var simClock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = simClock });
        await using var hubspot = sim.CreateConnector();

        // Slice 2's companies answer only when the test moves the simulator's clock.
        sim.Faults.AddLatency(TimeSpan.FromSeconds(1), r => r.Path.EndsWith("/companies/batch/upsert", StringComparison.Ordinal) && r.Body!.Contains("\"slice-210\"", StringComparison.Ordinal));
        var writing = hubspot.Connector.UpsertManyAsync(Requests);
        bool linked;
        try
        {
            linked = await EventuallyAsync(() => LinkCalls(sim).Count > 0, TimeSpan.FromSeconds(30));
        }
        finally
        {
            simClock.Advance(TimeSpan.FromSeconds(1));
        }

        var results = await writing.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(linked, "slice 1's links waited for slice 2's companies");
        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(2100, sim.Contacts.Count);
        var calls = sim.Journal.Entries;
        var firstLink = calls.First(IsLink).Sequence;
        Assert.Contains(calls, c => c.Path.EndsWith("/contacts/batch/upsert", StringComparison.Ordinal) && c.Body!.Contains("@slice-210.example", StringComparison.Ordinal) && c.Sequence > firstLink);
        Assert.Equal(2, LinkCalls(sim).Count);
        Assert.Equal([2000, 100], LinkCalls(sim).Select(c => JsonNode.Parse(c.Body!)!["inputs"]!.AsArray().Count).OrderDescending());
    }

    [Fact]
    public async Task A_sliced_write_never_has_more_calls_in_flight_than_MaxParallelBatches()
    {
        await using var sim = new HubSpotSimulator();
        sim.Faults.AddLatency(TimeSpan.FromMilliseconds(20));
        var counter = new InFlightCounter();
        await using var hubspot = sim.CreateConnector(
            o => o.MaxParallelBatches = 2,
            services: s => s.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new CountingHandler(counter)))));

        var results = await hubspot.Connector.UpsertManyAsync(Requests);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.InRange(counter.Peak, 1, 2);
        Assert.Equal(3 + 21 + 2, sim.Journal.Entries.Count(e => e.Path.Contains("/batch/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Customers_sharing_a_contact_are_written_in_one_slice_so_the_contact_is_written_once()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var shared = Customers.Person("shared", 1);
        var requests = Requests.Select((r, i) => i is 0 or 209
            ? r with { Customer = r.Customer with { Contacts = [.. r.Customer.Contacts, shared] } }
            : r).ToList();

        var results = await hubspot.Connector.UpsertManyAsync(requests);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Single(sim.Contacts, c => c["email"] == "ada1@shared.example");
        Assert.Equal(results[0].ContactExternalIds["shared-c1"], results[209].ContactExternalIds["shared-c1"]);
        Assert.Single(sim.Journal.Entries, e => e.Path.EndsWith("/contacts/batch/upsert", StringComparison.Ordinal) && e.Body!.Contains("ada1@shared.example", StringComparison.Ordinal));
    }

    private static List<JournalEntry> LinkCalls(HubSpotSimulator sim) => [.. sim.Journal.Entries.Where(IsLink)];

    private static bool IsLink(JournalEntry entry) => entry.Path.EndsWith("/contacts/companies/batch/create", StringComparison.Ordinal);

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    private sealed class InFlightCounter
    {
        private int _now;
        private int _peak;

        public int Peak => Volatile.Read(ref _peak);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _now);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }

    private sealed class CountingHandler(InFlightCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var api = request.RequestUri?.AbsolutePath.Contains("/batch/", StringComparison.Ordinal) == true;
            if (api)
            {
                counter.Enter();
            }

            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                if (api)
                {
                    counter.Leave();
                }
            }
        }
    }
}
