using System.Globalization;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Diagnostics;

namespace Concord.Connectors.Salesforce.Limits;

/// <summary>
/// Keeps the last <c>Sforce-Limit-Info: api-usage=used/max</c> of one connector instance (or <c>GET /limits</c>) and decides
/// whether a non-urgent call may still spend the daily allocation; usage may be reported past the maximum.
/// </summary>
internal sealed class SalesforceApiUsageTracker(string connectorName, SalesforceConnectorOptions options, TimeProvider time)
{
    public const string HeaderName = "Sforce-Limit-Info";

    private static readonly AsyncLocal<int> UrgentDepth = new();
    private readonly Lock _gate = new();
    private SalesforceApiUsage? _usage;
    private Task? _probe;

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

    /// <summary>Records usage read elsewhere than a header (the body of <c>GET /limits</c>).</summary>
    public void Record(long used, long max)
    {
        var usage = new SalesforceApiUsage(used, max, time.GetUtcNow());
        Volatile.Write(ref _usage, usage);
        SalesforceMetrics.RecordApiUsage(connectorName, usage);
    }

    /// <summary>
    /// Lets a non-urgent call through while usage is below the configured share. Past it, usage falls again on its own (the
    /// allocation is a rolling 24 hours), so once the last figure is <see cref="SalesforceConnectorOptions.BudgetRecheckInterval"/>
    /// old, <paramref name="probe"/> (<c>GET /limits</c>) looks again, once for all the calls waiting; when usage is still
    /// past the share the call is refused with <see cref="ErrorCategory.RateLimited"/> and a
    /// <see cref="ConcordException.RetryAfter"/> that is the time until the next look.
    /// </summary>
    public async ValueTask EnsureWithinBudgetAsync(string operation, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        var usage = Current;
        if (usage is null || IsUrgent || usage.Share < options.DailyBudgetShare)
        {
            return;
        }

        if (time.GetUtcNow() >= usage.ObservedAt + options.BudgetRecheckInterval)
        {
            await ProbeOnceAsync(probe, cancellationToken).ConfigureAwait(false);
            usage = Current!;
            if (usage.Share < options.DailyBudgetShare)
            {
                return;
            }
        }

        var wait = usage.ObservedAt + options.BudgetRecheckInterval - time.GetUtcNow();
        SalesforceMetrics.BudgetRefusals.Add(1, new KeyValuePair<string, object?>(Concord.Canonical.Diagnostics.ConcordTelemetry.SystemTag, connectorName));
        throw new ConcordException(
            ErrorCategory.RateLimited,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Salesforce daily API usage is {usage.Used}/{usage.Max} ({usage.Share:P0}), past the budget share of {options.DailyBudgetShare:P0} (SalesforceConnectorOptions.DailyBudgetShare); '{operation}' was not sent, to leave the rest of the allocation to urgent calls and other integrations. Usage is looked at again at {usage.ObservedAt + options.BudgetRecheckInterval:yyyy-MM-ddTHH:mm:ssZ}."))
        {
            System = connectorName,
            Operation = operation,
            RetryAfter = wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1),
            IsRetryable = false,
        };
    }

    private Task ProbeOnceAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        Task current;
        lock (_gate)
        {
            if (_probe is null || _probe.IsCompleted)
            {
                // Not bound to one caller's token: the others wait for the same look.
                _probe = probe(CancellationToken.None);
            }

            current = _probe;
        }

        return current.WaitAsync(cancellationToken);
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
