using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Concord.Canonical.Diagnostics;

/// <summary>
/// The names Concord's telemetry is published under: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <c>Concord</c>. Subscribe with OpenTelemetry's <c>AddSource("Concord")</c> and <c>AddMeter("Concord")</c>.
/// </summary>
public static class ConcordTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Concord";

    /// <summary>Tag: the connector name (<c>odoo</c>, <c>salesforce</c>, ...).</summary>
    public const string SystemTag = "concord.system";

    /// <summary>Tag: the operation (<c>upsert</c>, <c>read-changes</c>, <c>flow.run</c>, ...).</summary>
    public const string OperationTag = "concord.operation";

    /// <summary>Tag: the outcome (<c>created</c>, <c>updated</c>, <c>unchanged</c>, <c>failed</c>, <c>dead-lettered</c>, ...).</summary>
    public const string OutcomeTag = "concord.outcome";

    /// <summary>Tag: the error category of a failure.</summary>
    public const string ErrorCategoryTag = "concord.error.category";

    /// <summary>Tag: the flow name.</summary>
    public const string FlowTag = "concord.flow";

    /// <summary>Tag: the correlation id.</summary>
    public const string CorrelationIdTag = "concord.correlation_id";

    /// <summary>
    /// Bucket boundaries, in seconds, for request and call durations: fine below a second (where vendor calls normally
    /// land) and up to two minutes (timeouts, throttled waits), instead of the default boundaries, which put every call
    /// of less than five seconds in one bucket.
    /// </summary>
    internal static readonly double[] RequestDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120];

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ConcordTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(ConcordTelemetry).Assembly.GetName().Version?.ToString());
}
