using System.Globalization;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Diagnostics;

namespace Concord.Connectors.Salesforce.Limits;

/// <summary>
/// Keeps the last <c>Sforce-Limit-Info: api-usage=used/max</c> of one connector instance and decides whether a
/// non-urgent call may still spend the daily allocation.
/// </summary>
internal sealed class SalesforceApiUsageTracker(string connectorName, SalesforceConnectorOptions options, TimeProvider time)
{
    public const string HeaderName = "Sforce-Limit-Info";

    private static readonly AsyncLocal<int> UrgentDepth = new();
    private SalesforceApiUsage? _usage;

    public SalesforceApiUsage? Current => Volatile.Read(ref _usage);

    public static bool IsUrgent => UrgentDepth.Value > 0;

    /// <summary>Reads the header of <paramref name="response"/>, if present.</summary>
    public void Observe(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(HeaderName, out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            if (TryParse(value, out var used, out var max))
            {
                var usage = new SalesforceApiUsage(used, max, time.GetUtcNow());
                Volatile.Write(ref _usage, usage);
                SalesforceMetrics.RecordApiUsage(connectorName, usage);
                return;
            }
        }
    }

    /// <summary>Throws <see cref="ErrorCategory.RateLimited"/> when usage is past the configured share and the call is not urgent.</summary>
    public void EnsureWithinBudget(string operation)
    {
        var usage = Current;
        if (usage is null || IsUrgent || usage.Share < options.DailyBudgetShare)
        {
            return;
        }

        SalesforceMetrics.BudgetRefusals.Add(1, new KeyValuePair<string, object?>(Concord.Canonical.Diagnostics.ConcordTelemetry.SystemTag, connectorName));
        throw new ConcordException(
            ErrorCategory.RateLimited,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Salesforce daily API usage is {usage.Used}/{usage.Max} ({usage.Share:P0}), past the budget share of {options.DailyBudgetShare:P0} (SalesforceConnectorOptions.DailyBudgetShare); '{operation}' was not sent, to leave the rest of the allocation to urgent calls and other integrations."))
        {
            System = connectorName,
            Operation = operation,
            RetryAfter = options.BudgetRecheckInterval,
            IsRetryable = false,
        };
    }

    public static IDisposable BeginUrgent()
    {
        UrgentDepth.Value++;
        return new UrgentScope();
    }

    /// <summary>Parses <c>api-usage=25/15000</c>, ignoring anything after it (<c>; per-app-api-usage=…</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> header, out long used, out long max)
    {
        used = 0;
        max = 0;
        const string Key = "api-usage=";
        var start = header.IndexOf(Key, StringComparison.OrdinalIgnoreCase);
        if (start < 0 || (start > 0 && header[start - 1] == '-'))
        {
            return false;
        }

        var rest = header[(start + Key.Length)..];
        var end = rest.IndexOfAny(';', ',');
        if (end >= 0)
        {
            rest = rest[..end];
        }

        var slash = rest.IndexOf('/');
        return slash > 0
            && long.TryParse(rest[..slash].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out used)
            && long.TryParse(rest[(slash + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out max);
    }

    private sealed class UrgentScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                UrgentDepth.Value--;
            }
        }
    }
}
