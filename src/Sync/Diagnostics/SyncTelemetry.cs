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

    /// <summary>How far behind the source a flow's checkpoint is, in seconds, at each commit (tags: flow).</summary>
    public static readonly Histogram<double> CursorLag = SyncTelemetry.Meter.CreateHistogram<double>("concord.flow.cursor.lag", "s", "Age of the last change handled when its page was checkpointed.");

    /// <summary>Flow run duration in seconds (tags: flow).</summary>
    public static readonly Histogram<double> FlowRunDuration = SyncTelemetry.Meter.CreateHistogram<double>("concord.flow.run.duration", "s", "Flow run duration.");

    /// <summary>Outbox events published (tags: outcome = published or failed).</summary>
    public static readonly Counter<long> OutboxEvents = SyncTelemetry.Meter.CreateCounter<long>("concord.outbox.events", "{event}", "Outbox events delivered to the publisher.");
}
