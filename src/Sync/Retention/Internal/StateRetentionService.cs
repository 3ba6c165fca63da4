using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Retention.Internal;

/// <summary>Purges finished state every <see cref="StateRetentionOptions.PurgeInterval"/> through every registered <see cref="IStatePurger"/>.</summary>
internal sealed class StateRetentionService(
    IEnumerable<IStatePurger> purgers,
    IOptions<StateRetentionOptions> options,
    TimeProvider time,
    ILogger<StateRetentionService> logger) : BackgroundService
{
    private readonly IStatePurger[] _purgers = [.. purgers];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_purgers.Length == 0 || options.Value.PurgeInterval is not { } interval)
        {
            return; // in-memory state lives as long as the process; or the host purges on its own schedule
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One purge through every purger; a failing store is logged and tried again at the next tick.</summary>
    internal async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoffs = options.Value.CutoffsAt(time.GetUtcNow());
        foreach (var purger in _purgers)
        {
            try
            {
                var purged = await purger.PurgeAsync(cutoffs, cancellationToken).ConfigureAwait(false);
                Log.StatePurged(logger, purged.DeliveredEvents, purged.FinishedIdempotencyKeys, purged.ResolvedDeadLetters, purged.AuditEntries, purged.CompletedWebhookEvents);
                if (purged.UndeliveredEvents > 0)
                {
                    Log.UndeliveredEventsDropped(logger, purged.UndeliveredEvents, options.Value.UndeliveredEvents!.Value);
                }
            }
            catch (ConcordException exception)
            {
                Log.StatePurgeFailed(logger, exception.Category, PersonalDataMasker.Mask(exception.Message));
            }
        }
    }
}
