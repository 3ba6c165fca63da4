using System.Diagnostics;
using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;

namespace Concord.Sync.Diagnostics;

/// <summary>
/// The engine's activity source and instruments. They publish under <see cref="ConcordTelemetry.Name"/>, like the
/// connectors', so one <c>AddSource("Concord")</c> / <c>AddMeter("Concord")</c> subscribes to both packages.
/// </summary>
internal static class SyncTelemetry
{
    public static readonly ActivitySource ActivitySource = new(ConcordTelemetry.Name, typeof(SyncTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(ConcordTelemetry.Name, typeof(SyncTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Records a flow handled, per target and outcome (tags: flow, system = target, outcome).</summary>
    public static readonly Counter<long> FlowRecords = SyncTelemetry.Meter.CreateCounter<long>("concord.flow.records", "{record}", "Records handled by flows, by outcome.");

    /// <summary>Records dead-lettered (tags: flow, error category).</summary>
    public static readonly Counter<long> DeadLetters = SyncTelemetry.Meter.CreateCounter<long>("concord.flow.dead_letters", "{record}", "Records dead-lettered by flows.");

    /// <summary>Field changes refused by ownership or survivorship (tags: flow, system = target).</summary>
    public static readonly Counter<long> RefusedChanges = SyncTelemetry.Meter.CreateCounter<long>("concord.flow.refused_changes", "{change}", "Field changes refused by the ownership policy.");

    /// <summary>Flow run duration in seconds (tags: flow), in buckets from a tenth of a second to an hour.</summary>
    public static readonly Histogram<double> FlowRunDuration = SyncTelemetry.Meter.CreateHistogram<double>(
        "concord.flow.run.duration",
        "s",
        "Flow run duration.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    /// <summary>Outbox events published (tags: outcome = published or failed).</summary>
    public static readonly Counter<long> OutboxEvents = SyncTelemetry.Meter.CreateCounter<long>("concord.outbox.events", "{event}", "Outbox events delivered to the publisher.");
}
