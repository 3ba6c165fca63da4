using System.Net.Http.Headers;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Testing.Tests.Simulation;

/// <summary>
/// Two host instances (two containers, each with Concord's resilience pipeline) call one HubSpot portal whose window
/// allows 10 requests a second. With one shared budget of 10 a second the portal never refuses a call, although the first
/// requests of each instance reach it late (new connections) and so bunch up with later ones; with a budget of 10 each it
/// refuses some. On the real clock (the simulator and the pipelines must share one): about three seconds.
/// </summary>
public sealed class SharedRateBudgetAgainstSimulatorTests
{
    private const int RequestsPerInstance = 12;

    [Fact]
    public async Task Two_instances_sharing_one_budget_never_exceed_the_portal_limit()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TenSecondlyLimit = 10, RateLimitWindow = TimeSpan.FromSeconds(1) });
        var shared = new LoggingStore();

        var failures = await RunTwoInstancesAsync(sim, shared, shared);

        var t0 = sim.Journal.Where(_ => true).Min(e => e.Time);
        var arrivals = string.Join(" ", sim.Journal.Where(_ => true).Select(e => $"{(e.Time - t0).TotalMilliseconds:0}:{e.StatusCode}"));
        Assert.True(sim.RateLimitExceeded == 0, $"budget draws {string.Join(" ", shared.Log)}; arrivals {arrivals}");
        Assert.Equal(0, failures);
        Assert.Equal(2 * RequestsPerInstance, sim.Journal.Calls("GET", "/crm/v3/objects/companies").Count);
    }

    [Fact]
    public async Task Two_instances_each_with_its_own_budget_exceed_it()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TenSecondlyLimit = 10, RateLimitWindow = TimeSpan.FromSeconds(1) });

        var failures = await RunTwoInstancesAsync(sim, new InMemoryRateBudgetStore(), new InMemoryRateBudgetStore());

        Assert.True(sim.RateLimitExceeded > 0);
        Assert.Equal(sim.RateLimitExceeded, failures);
    }

    private static async Task<int> RunTwoInstancesAsync(HubSpotSimulator sim, IRateBudgetStore first, IRateBudgetStore second)
    {
        await using var a = Instance(sim, first);
        await using var b = Instance(sim, second);
        Assert.Same(first, a.GetRequiredService<IRateBudgetStore>());
        var calls = Enumerable.Range(0, RequestsPerInstance).SelectMany(_ => new[] { CallAsync(a, sim), CallAsync(b, sim) }).ToArray();
        var outcomes = await Task.WhenAll(calls);
        return outcomes.Count(ok => !ok);
    }

    private static ServiceProvider Instance(HubSpotSimulator sim, IRateBudgetStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton(store);
        services.AddHttpClient("Concord.hubspot")
            .ConfigureHttpClient(http => http.BaseAddress = sim.BaseAddress)
            .AddConcordResilience("hubspot", _ => new ConnectorResilienceOptions
            {
                SharedRateBudget = true,
                PermitLimit = 10,
                Window = TimeSpan.FromSeconds(1),
                MaxRetryAttempts = 0,
            });
        return services.BuildServiceProvider();
    }

    private static async Task<bool> CallAsync(ServiceProvider instance, HubSpotSimulator sim)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "crm/v3/objects/companies");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sim.Options.StaticToken);
        try
        {
            using var response = await instance.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.hubspot").SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (ConcordException exception) when (exception.Category == ErrorCategory.RateLimited)
        {
            return false;
        }
    }

    /// <summary>The in-memory store, noting each draw (slice: granted) for the failure message.</summary>
    private sealed class LoggingStore : IRateBudgetStore
    {
        private readonly InMemoryRateBudgetStore _inner = new();

        public List<string> Log { get; } = [];

        public async ValueTask<int> TakeAsync(RateBudgetRequest request, CancellationToken cancellationToken = default)
        {
            var granted = await _inner.TakeAsync(request, cancellationToken);
            lock (Log)
            {
                Log.Add($"{request.Segment % 1000}:{granted}");
            }

            return granted;
        }

        public ValueTask ReleaseAsync(string budget, long heldSegment, long segment, int permits, CancellationToken cancellationToken = default) =>
            _inner.ReleaseAsync(budget, heldSegment, segment, permits, cancellationToken);
    }
}
