using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concord.Sync.Diagnostics;

/// <summary>
/// The <c>concord</c> health check: healthy while every flow can reach its targets; otherwise the registration's failure
/// status (degraded by default), naming each paused target, why, since when and when it is probed next. Its data holds
/// one entry per pause, keyed <c>flow/target</c>, with the error category.
/// </summary>
internal sealed class SyncHealthCheck(SyncMonitor monitor) : IHealthCheck
{
    public const string Name = "concord";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pauses = monitor.Pauses();
        if (pauses.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Every flow reaches its targets."));
        }

        var description = string.Join(
            "; ",
            pauses.Select(p => string.Create(CultureInfo.InvariantCulture, $"flow {p.Flow} is paused for {p.Target} ({p.Category}) since {p.Since:O}, next probe at {p.NextProbeAt:O}: {p.Reason}")));
        var data = pauses.ToDictionary(p => p.Flow + "/" + p.Target, p => (object)p.Category.ToString(), StringComparer.Ordinal);
        return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, description, data: data));
    }
}
