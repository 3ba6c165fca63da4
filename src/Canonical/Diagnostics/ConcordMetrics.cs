using System.Diagnostics.Metrics;

namespace Concord.Canonical.Diagnostics;

/// <summary>The vendor-side instruments on the <c>Concord</c> meter (the engine's are in Concord.Sync). Add new instruments here, one field each.</summary>
internal static class ConcordMetrics
{
    /// <summary>Vendor HTTP requests sent (tags: system, outcome = status class).</summary>
    public static readonly Counter<long> VendorRequests = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.requests", "{request}", "Vendor HTTP requests sent.");

    /// <summary>Vendor request duration in seconds (tags: system).</summary>
    public static readonly Histogram<double> VendorRequestDuration = ConcordTelemetry.Meter.CreateHistogram<double>(
        "concord.vendor.request.duration",
        "s",
        "Vendor HTTP request duration.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConcordTelemetry.RequestDurationBuckets });

    /// <summary>Retries the resilience pipeline made (tags: system).</summary>
    public static readonly Counter<long> Retries = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.retries", "{retry}", "Retries of vendor requests.");

    /// <summary>Throttles: 429s and vendor quota answers, and client-side limiter waits (tags: system).</summary>
    public static readonly Counter<long> Throttles = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.throttles", "{throttle}", "Vendor throttling answers and client-side limiter rejections.");
}
