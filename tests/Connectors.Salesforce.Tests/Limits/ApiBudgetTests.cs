using System.Diagnostics.Metrics;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.Limits;

public sealed class ApiBudgetTests
{
    private const string Unknown = "001SIM000000001AAA";
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sforce_Limit_Info_is_read_on_every_response_and_exposed_on_the_connector()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 15000 });
        sim.ApiUsage = 100;
        await using var sf = sim.CreateConnector(OrgShape.Known);
        Assert.Null(sf.Connector.ApiUsage);

        await sf.Connector.UpsertManyAsync(Customers.Requests(3, contactsEach: 1));

        Assert.Equal(102, sf.Connector.ApiUsage!.Used); // one Accounts call, one Contacts call
        Assert.Equal(15000, sf.Connector.ApiUsage.Max);
        Assert.Equal(sim.ApiUsage, sf.Connector.ApiUsage.Used);
    }

    [Fact]
    public async Task Api_usage_is_published_as_a_metric()
    {
        using var sim = new SalesforceSimulator();
        sim.ApiUsage = 41;
        await using var sf = sim.CreateConnector(name: "salesforce-metrics");
        var seen = new List<(string Instrument, double Value, object? System)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Concord" && instrument.Name.StartsWith("concord.salesforce.api_usage", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.Start();

        await sf.Connector.GetAsync("001SIM000000001AAA");

        Assert.Contains(seen, m => m.Instrument == "concord.salesforce.api_usage.used" && m.Value == 42 && Equals(m.System, "salesforce-metrics"));
        Assert.Contains(seen, m => m.Instrument == "concord.salesforce.api_usage.max" && m.Value == 15000);

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            object? system = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "concord.system")
                {
                    system = tag.Value;
                }
            }

            lock (seen)
            {
                seen.Add((name, value, system));
            }
        }
    }

    [Fact]
    public async Task Past_the_budget_share_non_urgent_calls_stop_with_a_clear_rate_limited_error_and_send_nothing()
    {
        var clock = new FakeTimeProvider(T0);
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 100, TimeProvider = clock });
        sim.ApiUsage = 79;
        await using var sf = sim.CreateConnector(OrgShape.Known(o => o.BudgetRecheckInterval = TimeSpan.FromMinutes(30)), services: s => s.AddSingleton<TimeProvider>(clock));
        await sf.Connector.GetAsync("001SIM000000001AAA"); // usage now 80/100
        var callsBefore = sim.Journal.Count;

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.UpsertManyAsync(Customers.Requests(1)));

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.False(error.IsRetryable);
        Assert.Equal(TimeSpan.FromMinutes(30), error.RetryAfter);
        Assert.Contains("80/100", error.Message, StringComparison.Ordinal);
        Assert.Contains("DailyBudgetShare", error.Message, StringComparison.Ordinal);
        Assert.Equal(callsBefore, sim.Journal.Count);
        Assert.Equal(80, sim.ApiUsage);
    }

    [Fact]
    public async Task The_guard_lifts_once_a_limits_probe_shows_usage_fell_below_the_share()
    {
        var clock = new FakeTimeProvider(T0);
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 100, TimeProvider = clock });
        sim.ApiUsage = 79;
        await using var sf = sim.CreateConnector(OrgShape.Known, services: s => s.AddSingleton<TimeProvider>(clock));
        await sf.Connector.GetAsync(Unknown); // 80/100 observed
        await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync(Unknown));

        clock.Advance(TimeSpan.FromDays(1)); // the rolling 24 hours leave that usage behind; no call of ours says so
        var found = await sf.Connector.GetAsync(Unknown);

        Assert.Null(found);
        Assert.Single(sim.Journal.Calls("GET", "/services/data/v65.0/limits"));
        Assert.True(sf.Connector.ApiUsage!.Share < 0.8);
    }

    [Fact]
    public async Task While_usage_stays_past_the_share_the_guard_looks_again_once_per_interval_and_says_when()
    {
        var clock = new FakeTimeProvider(T0);
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 100, TimeProvider = clock });
        sim.ApiUsage = 89;
        await using var sf = sim.CreateConnector(OrgShape.Known(o => o.BudgetRecheckInterval = TimeSpan.FromMinutes(5)), services: s => s.AddSingleton<TimeProvider>(clock));
        await sf.Connector.GetAsync(Unknown); // 90/100

        var first = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync(Unknown));
        clock.Advance(TimeSpan.FromMinutes(2));
        var second = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync(Unknown));
        clock.Advance(TimeSpan.FromMinutes(4));
        var third = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync(Unknown)); // looked again: 91/100

        Assert.Equal(TimeSpan.FromMinutes(5), first.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(3), second.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(5), third.RetryAfter);
        Assert.Single(sim.Journal.Calls("GET", "/services/data/v65.0/limits"));
        Assert.Equal(91, sf.Connector.ApiUsage!.Used);
    }

    [Fact]
    public async Task Usage_past_the_allocation_is_reported_as_salesforce_reports_it()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 100 });
        sim.ApiUsage = 104;
        await using var sf = sim.CreateConnector(OrgShape.Known);

        using (sf.Connector.BeginUrgentScope())
        {
            await sf.Connector.GetAsync(Unknown);
        }

        Assert.Equal(105, sf.Connector.ApiUsage!.Used);
        Assert.True(sf.Connector.ApiUsage.Share > 1);
    }

    [Fact]
    public async Task Urgent_calls_still_go_through_past_the_budget_share()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 100 });
        sim.ApiUsage = 90;
        await using var sf = sim.CreateConnector(OrgShape.Known);
        await sf.Connector.GetAsync("001SIM000000001AAA");

        UpsertResult result;
        using (sf.Connector.BeginUrgentScope())
        {
            result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("urgent-1")));
        }

        Assert.True(result.IsSuccess);
        await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync(result.ExternalId!));
    }

    [Fact]
    public async Task Spent_daily_allocation_is_rate_limited_and_not_retried_blindly()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 50 });
        sim.ApiUsage = 55; // the allocation and its overage (10 %) spent
        await using var sf = sim.CreateConnector(OrgShape.Known(o => o.DailyBudgetShare = 1));

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.Equal(403, error.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.VendorErrorCode);
        Assert.False(error.IsRetryable);
        Assert.Single(sim.Journal.Where(e => e.Path.EndsWith("/query", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Concurrent_request_limit_backs_off_briefly_and_retries()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known);
        sim.RejectConcurrentRequests(1);

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("conc-1")));

        Assert.True(result.IsSuccess);
        var calls = sim.Journal.Where(e => e.Path.Contains("/sobjects/Account/", StringComparison.Ordinal));
        Assert.Equal([403, 201], calls.Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Concurrent_request_limit_that_persists_is_rate_limited()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known(o => o.Resilience.MaxRetryAttempts = 1));
        sim.RejectConcurrentRequests(5);

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.True(error.IsRetryable);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.VendorErrorCode);
        Assert.Contains("ConcurrentRequests (Concurrent API Requests) Limit exceeded", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, sim.Journal.Where(e => e.Path.EndsWith("/query", StringComparison.Ordinal)).Count);
    }

    [Fact]
    public async Task A_gateway_429_the_retries_could_not_absorb_keeps_salesforces_code_and_text()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known(o => o.Resilience.MaxRetryAttempts = 1));
        sim.Faults.ThrottleNext(5, TimeSpan.Zero, r => r.Path.EndsWith("/query", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.VendorErrorCode);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED: ConcurrentRequests (Concurrent API Requests) Limit exceeded", error.Message, StringComparison.Ordinal);
        Assert.Equal([429, 429], sim.Journal.Where(e => e.Path.EndsWith("/query", StringComparison.Ordinal)).Select(e => e.StatusCode));
    }

    [Fact]
    public async Task Row_lock_on_a_record_is_transient_and_retryable()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();
        sim.RejectRecord("a-1", "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(2));

        var error = results[0].Error!;
        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.True(error.IsRetryable);
        Assert.True(results[1].IsSuccess);
    }
}
