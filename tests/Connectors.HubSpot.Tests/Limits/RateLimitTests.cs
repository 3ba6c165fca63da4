using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.Limits;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_ten_secondly_429_waits_out_the_window_hubspot_names_and_is_retried()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { RateLimitWindow = TimeSpan.FromSeconds(1) });
        await using var hubspot = sim.CreateConnector();
        sim.RateLimitNext(1, HubSpotRateLimitPolicy.TenSecondlyRolling, r => r.Path.EndsWith("/companies/batch/read", StringComparison.Ordinal));

        var read = await hubspot.Connector.GetAsync("1");

        Assert.Null(read);
        var calls = sim.Journal.Where(e => e.Path.EndsWith("/companies/batch/read", StringComparison.Ordinal));
        Assert.Equal([429, 200], calls.Select(c => c.StatusCode));
        Assert.True(calls[1].Time - calls[0].Time >= TimeSpan.FromMilliseconds(950), $"retried after {calls[1].Time - calls[0].Time}");
    }

    [Fact]
    public async Task A_daily_429_is_rate_limited_until_midnight_in_the_portal_zone_and_holds_further_calls_without_sending_them()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { PortalTimeZone = zone });
        await using var hubspot = sim.CreateConnector(o => o.PortalTimeZone = "Etc/GMT-2");
        sim.RateLimitNext(1, HubSpotRateLimitPolicy.Daily);

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("1"));
        var sent = sim.Journal.Count;
        var held = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("2"));

        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        var untilMidnight = local.Date.AddDays(1) - local.DateTime;
        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.InRange(error.RetryAfter!.Value, untilMidnight - TimeSpan.FromSeconds(5), untilMidnight + TimeSpan.FromSeconds(5));
        Assert.Equal(ErrorCategory.RateLimited, held.Category);
        Assert.Equal(sent, sim.Journal.Count);
        Assert.Single(sim.Journal.Entries, e => e.StatusCode == 429);
    }

    [Fact]
    public async Task The_daily_guard_pauses_non_urgent_work_lets_urgent_work_through_and_lifts_when_the_budget_comes_back()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { DailyLimit = 1000, TimeProvider = clock });
        await using var hubspot = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock));
        sim.DailyUsage = 960;

        await hubspot.Connector.GetAsync("1"); // 39 of 1,000 left: below the 5 % reserve
        var sent = sim.Journal.Count;
        var paused = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("2"));
        using (hubspot.Connector.BeginUrgentScope())
        {
            await hubspot.Connector.GetAsync("3");
        }

        var status = hubspot.Connector.RateLimits;
        sim.DailyUsage = 0; // another process's day ended, or the add-on was bought
        clock.Advance(TimeSpan.FromMinutes(15));
        var probe = await hubspot.Connector.GetAsync("4");
        await hubspot.Connector.GetAsync("5");

        Assert.Equal(ErrorCategory.RateLimited, paused.Category);
        Assert.Equal(TimeSpan.FromMinutes(15), paused.RetryAfter);
        Assert.Equal(sent + 1, sim.Journal.Count - 2); // only the urgent call went out while paused
        Assert.Equal(38, status.DailyRemaining);
        Assert.NotNull(status.PausedUntil);
        Assert.Null(probe);
        Assert.Null(hubspot.Connector.RateLimits.PausedUntil);
        Assert.Equal(998, hubspot.Connector.RateLimits.DailyRemaining);
    }

    [Fact]
    public async Task The_window_limiter_keeps_below_the_enforced_limit_so_no_429_is_provoked()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TenSecondlyLimit = 50, RateLimitWindow = TimeSpan.FromSeconds(2) });
        await using var hubspot = sim.CreateConnector(o => o.BatchSize = 1);

        var results = await hubspot.Connector.UpsertManyAsync(Customers.Requests(100));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 429);
        Assert.InRange(sim.PeakRequestsPerWindow, 1, 50);
        Assert.Equal(45, hubspot.Connector.RateLimits.LimiterPermits); // 50 from the headers, minus 10 % headroom
        Assert.True(sim.Journal.Count > 2 * 45, "the run spans more than two windows, so the limiter had to hold calls back");
    }

    [Fact]
    public async Task The_window_shrinks_to_what_the_headers_say_and_counts_other_users_of_the_app()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TenSecondlyLimit = 100, RateLimitWindow = TimeSpan.FromSeconds(30) });
        await using var hubspot = sim.CreateConnector(o => o.TenSecondlyLimit = 250);
        using var other = new HttpClient { BaseAddress = sim.BaseAddress };
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", sim.Options.StaticToken);
        for (var i = 0; i < 50; i++)
        {
            (await other.GetAsync("crm/v3/objects/companies")).Dispose(); // another process of the same app
        }

        await hubspot.Connector.GetAsync("1");
        var status = hubspot.Connector.RateLimits;
        var started = DateTimeOffset.UtcNow;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var more = 0;
        try
        {
            for (; more < 100; more++)
            {
                await hubspot.Connector.GetAsync("1", cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(100, status.WindowMax);
        Assert.Equal(49, status.WindowRemaining);
        Assert.Equal(90, status.LimiterPermits); // 100 from the headers minus 10 % headroom, not the 250 configured
        Assert.Equal(90 - 51, more);              // the other process's 50 calls count against this process's permits
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 429);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Search_stays_within_its_own_per_second_limit()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { SearchRequestsPerSecond = 3 });
        await using var hubspot = sim.CreateConnector(o => o.SearchRequestsPerSecond = 3);

        await Task.WhenAll(Enumerable.Range(0, 9).Select(i => hubspot.Connector.FindAsync(new Canonical.Connectors.MatchKeys { Domain = $"d{i}.example" })));

        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 429);
        var searches = sim.Journal.Where(e => e.Path.EndsWith("/search", StringComparison.Ordinal));
        Assert.Equal(9, searches.Count);
        Assert.True(searches[^1].Time - searches[0].Time >= TimeSpan.FromSeconds(1.9), "nine searches at three per second take two seconds at least");
    }
}
