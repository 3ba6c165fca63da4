using Concord.Canonical.Errors;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Zendesk.Tests.Limits;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_limiter_starts_from_the_plan_and_is_resized_from_X_Rate_Limit()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { RequestsPerMinute = 700 });
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.Plan = ZendeskPlan.Team;
            o.RateLimitHeadroom = 0.05;
        });
        var before = zendesk.Connector.RequestsPerMinute;

        await zendesk.Connector.GetAsync("1");

        Assert.Equal(190, before);
        Assert.Equal(665, zendesk.Connector.RequestsPerMinute);
    }

    [Fact]
    public async Task The_minute_budget_is_never_exceeded_however_many_calls_wait()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock, RequestsPerMinute = 200 });
        await using var zendesk = sim.CreateConnector(o => o.Plan = ZendeskPlan.Team, s => s.AddSingleton<TimeProvider>(clock));

        var calls = Enumerable.Range(0, 230).Select(_ => zendesk.Connector.GetAsync("1")).ToList();
        var all = Task.WhenAll(calls);
        var firstMinute = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System)) != all;
        var sentInFirstMinute = sim.Journal.Calls("/api/v2/organizations/show_many.json").Count;
        clock.Advance(TimeSpan.FromSeconds(61));
        await all;

        Assert.True(firstMinute);
        Assert.Equal(190, sentInFirstMinute);
        Assert.Equal(230, sim.Journal.Calls("/api/v2/organizations/show_many.json").Count);
        Assert.Equal(0, sim.Throttled);
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_Retry_After_and_retried()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        await zendesk.Connector.GetAsync("1");
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(1), r => r.Path.Contains("show_many", StringComparison.Ordinal));

        await zendesk.Connector.GetAsync("1");

        var calls = sim.Journal.Calls("/api/v2/organizations/show_many.json");
        Assert.Equal([200, 429, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[2].Time - calls[1].Time >= TimeSpan.FromSeconds(0.9)); // timers and the wall clock differ by milliseconds
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_honoured()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        await zendesk.Connector.GetAsync("1");
        sim.FailNextApiCalls(1, 503, """{"error":"ServiceUnavailable"}""", r => r.Path.Contains("show_many", StringComparison.Ordinal), TimeSpan.FromSeconds(2));

        await zendesk.Connector.GetAsync("1");

        var calls = sim.Journal.Calls("/api/v2/organizations/show_many.json");
        Assert.Equal([200, 503, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[2].Time - calls[1].Time >= TimeSpan.FromSeconds(1.9), $"{calls[2].Time - calls[1].Time}");
    }

    [Fact]
    public async Task A_429_asking_longer_than_the_retry_budget_is_RateLimited_with_its_Retry_After()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(45));

        var error = await Assert.ThrowsAnyAsync<ConcordException>(() => zendesk.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
    }
}
