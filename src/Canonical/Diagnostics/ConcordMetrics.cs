using System.Diagnostics.Metrics;

namespace Concord.Diagnostics;

/// <summary>The instruments on the <c>Concord</c> meter. Add new instruments here, one field each.</summary>
internal static class ConcordMetrics
{
    /// <summary>Vendor HTTP requests sent (tags: system, outcome = status class).</summary>
    public static readonly Counter<long> VendorRequests = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.requests", "{request}", "Vendor HTTP requests sent.");

    /// <summary>Vendor request duration in seconds (tags: system).</summary>
    public static readonly Histogram<double> VendorRequestDuration = ConcordTelemetry.Meter.CreateHistogram<double>("concord.vendor.request.duration", "s", "Vendor HTTP request duration.");

    /// <summary>Retries the resilience pipeline made (tags: system).</summary>
    public static readonly Counter<long> Retries = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.retries", "{retry}", "Retries of vendor requests.");

    /// <summary>Throttles: 429s and vendor quota answers, and client-side limiter waits (tags: system).</summary>
    public static readonly Counter<long> Throttles = ConcordTelemetry.Meter.CreateCounter<long>("concord.vendor.throttles", "{throttle}", "Vendor throttling answers and client-side limiter rejections.");

    /// <summary>Records a flow handled, per target and outcome (tags: flow, system = target, outcome).</summary>
    public static readonly Counter<long> FlowRecords = ConcordTelemetry.Meter.CreateCounter<long>("concord.flow.records", "{record}", "Records handled by flows, by outcome.");

    /// <summary>Records dead-lettered (tags: flow, error category).</summary>
    public static readonly Counter<long> DeadLetters = ConcordTelemetry.Meter.CreateCounter<long>("concord.flow.dead_letters", "{record}", "Records dead-lettered by flows.");

    /// <summary>Field changes refused by ownership or survivorship (tags: flow, system = target).</summary>
    public static readonly Counter<long> RefusedChanges = ConcordTelemetry.Meter.CreateCounter<long>("concord.flow.refused_changes", "{change}", "Field changes refused by the ownership policy.");

    /// <summary>How far behind the source a flow's checkpoint is, in seconds, at each commit (tags: flow).</summary>
    public static readonly Histogram<double> CursorLag = ConcordTelemetry.Meter.CreateHistogram<double>("concord.flow.cursor.lag", "s", "Age of the last change handled when its page was checkpointed.");

    /// <summary>Flow run duration in seconds (tags: flow).</summary>
    public static readonly Histogram<double> FlowRunDuration = ConcordTelemetry.Meter.CreateHistogram<double>("concord.flow.run.duration", "s", "Flow run duration.");

    /// <summary>Outbox events published (tags: outcome = published or failed).</summary>
    public static readonly Counter<long> OutboxEvents = ConcordTelemetry.Meter.CreateCounter<long>("concord.outbox.events", "{event}", "Outbox events delivered to the publisher.");
}
