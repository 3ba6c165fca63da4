using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;

namespace Concord.Connectors.Salesforce.Diagnostics;

/// <summary>
/// Salesforce instruments, published on a meter named <see cref="ConcordTelemetry.Name"/> (<c>Concord</c>) like every
/// other Concord instrument, so <c>AddMeter("Concord")</c> collects them.
/// </summary>
internal static class SalesforceMetrics
{
    private static readonly Meter Meter = new(ConcordTelemetry.Name, typeof(SalesforceMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Daily API requests used, from <c>Sforce-Limit-Info</c> (tags: system).</summary>
    public static readonly Gauge<long> ApiUsageUsed = Meter.CreateGauge<long>("concord.salesforce.api_usage.used", "{request}", "Salesforce daily API requests used (rolling 24 h), from Sforce-Limit-Info.");

    /// <summary>Daily API allocation, from <c>Sforce-Limit-Info</c> (tags: system).</summary>
    public static readonly Gauge<long> ApiUsageMax = Meter.CreateGauge<long>("concord.salesforce.api_usage.max", "{request}", "Salesforce daily API allocation, from Sforce-Limit-Info.");

    /// <summary>Used share of the daily allocation, 0 to 1 (tags: system).</summary>
    public static readonly Gauge<double> ApiUsageShare = Meter.CreateGauge<double>("concord.salesforce.api_usage.share", "1", "Used share of the Salesforce daily API allocation.");

    /// <summary>Calls refused client-side because usage passed the budget share (tags: system).</summary>
    public static readonly Counter<long> BudgetRefusals = Meter.CreateCounter<long>("concord.salesforce.budget_refusals", "{call}", "Calls refused because Salesforce API usage passed the configured budget share.");

    public static void RecordApiUsage(string connectorName, SalesforceApiUsage usage)
    {
        var tag = new KeyValuePair<string, object?>(ConcordTelemetry.SystemTag, connectorName);
        ApiUsageUsed.Record(usage.Used, tag);
        ApiUsageMax.Record(usage.Max, tag);
        ApiUsageShare.Record(usage.Share, tag);
    }
}
