using System.Net;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class MetricsTests
{
    [Fact]
    public async Task Retries_and_429s_are_counted_per_system()
    {
        const string system = "metricsvendor";
        using var retries = new MetricCollector<long>(ConcordMetrics.Retries);
        using var throttles = new MetricCollector<long>(ConcordMetrics.Throttles);
        await using var harness = new ResilienceHarness(o => o.MaxRetryAttempts = 3, system)
            .Respond(503)
            .Respond(429, ("Retry-After", "1"))
            .Respond(429, ("Retry-After", "1"));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, Sum(retries, system));
        Assert.Equal(2, Sum(throttles, system));
    }

    [Fact]
    public async Task A_final_429_is_counted_once_as_a_throttle()
    {
        const string system = "metricsvendor2";
        using var throttles = new MetricCollector<long>(ConcordMetrics.Throttles);
        await using var harness = new ResilienceHarness(o => o.MaxRetryAttempts = 0, system).Respond(429, ("Retry-After", "1"));

        await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(1, Sum(throttles, system));
    }

    [Fact]
    public async Task Every_attempt_is_counted_as_a_vendor_request_by_status_class()
    {
        const string system = "metricsvendor3";
        using var requests = new MetricCollector<long>(ConcordMetrics.VendorRequests);
        using var durations = new MetricCollector<double>(ConcordMetrics.VendorRequestDuration);
        await using var harness = new ResilienceHarness(configure: null, system).Respond(503, 200);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var measured = requests.GetMeasurementSnapshot().Where(m => Equals(m.Tags[ConcordTelemetry.SystemTag], system)).ToList();
        Assert.Equal(["5xx", "2xx"], measured.Select(m => (string?)m.Tags[ConcordTelemetry.OutcomeTag]));
        Assert.Equal(2, durations.GetMeasurementSnapshot().Count(m => Equals(m.Tags[ConcordTelemetry.SystemTag], system)));
    }

    private static long Sum(MetricCollector<long> collector, string system) =>
        collector.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags[ConcordTelemetry.SystemTag], system))
            .Sum(m => m.Value);
}
