using System.Diagnostics;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Outbox.Internal;

/// <summary>
/// Claims pending events with a lease, publishes them in order, completes the delivered and releases the rest. Each
/// event is published in a <c>concord.outbox.publish</c> producer span that continues the trace of the run that
/// produced it. Without an <see cref="IOutboxPublisher"/> nothing is claimed: events stay pending (counted for the
/// <c>concord.outbox.pending</c> gauge) until a publisher is registered or retention drops them.
/// </summary>
internal sealed class OutboxDispatcher(
    IOutbox outbox,
    IOptions<OutboxDispatcherOptions> options,
    ILogger<OutboxDispatcher> logger,
    SyncMonitor monitor,
    IOutboxPublisher? publisher = null) : IOutboxDispatcher
{
    private const int MaxRounds = 10_000;

    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
        if (publisher is null)
        {
            // Nothing here delivers events, so nothing may mark them delivered: they wait for a publisher.
            monitor.PendingEvents(await outbox.CountPendingAsync(cancellationToken).ConfigureAwait(false));
            return 0;
        }

        var settings = options.Value;
        var published = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var lease = await outbox.ClaimAsync(settings.BatchSize, settings.Lease, cancellationToken).ConfigureAwait(false);
            if (lease.Messages.IsEmpty)
            {
                break;
            }

            var delivered = new List<string>(lease.Messages.Length);
            var undelivered = new List<string>();
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var message in lease.Messages)
            {
                if (blocked.Contains(message.PartitionKey) || cancellationToken.IsCancellationRequested)
                {
                    undelivered.Add(message.Id);
                    continue;
                }

                if (await PublishAsync(publisher, message, cancellationToken).ConfigureAwait(false))
                {
                    delivered.Add(message.Id);
                }
                else
                {
                    // Keep the customer's order: its later events wait for this one.
                    blocked.Add(message.PartitionKey);
                    undelivered.Add(message.Id);
                }
            }

            if (delivered.Count > 0)
            {
                await outbox.CompleteAsync(lease.Token, delivered, CancellationToken.None).ConfigureAwait(false);
                SyncTelemetry.OutboxEvents.Add(delivered.Count, new TagList { { ConcordTelemetry.OutcomeTag, "published" } });
                published += delivered.Count;
            }

            if (undelivered.Count > 0)
            {
                await outbox.ReleaseAsync(lease.Token, undelivered, CancellationToken.None).ConfigureAwait(false);
                break; // the publisher is failing (or we were cancelled): try again on the next dispatch
            }
        }

        monitor.PendingEvents(await outbox.CountPendingAsync(cancellationToken).ConfigureAwait(false));
        return published;
    }

    /// <summary>Publishes one event in its producer span; returns whether the publisher accepted it.</summary>
    private async Task<bool> PublishAsync(IOutboxPublisher target, OutboxMessage message, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(message.TraceParent, traceState: null, isRemote: true, out var producer);
        using var activity = SyncTelemetry.ActivitySource.StartActivity("concord.outbox.publish", ActivityKind.Producer, producer);
        if (activity is not null)
        {
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "publish");
            activity.SetTag("messaging.message.id", message.Id);
            activity.SetTag("messaging.destination.name", message.Type);
            activity.SetTag("cloudevents.event_type", message.Type);
            activity.SetTag(ConcordTelemetry.CorrelationIdTag, message.CorrelationId);
        }

        try
        {
            var traceParent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : message.TraceParent;
            await target.PublishAsync(CloudEventConverter.ToCloudEvent(message, traceParent), cancellationToken).ConfigureAwait(false);
            Log.EventPublished(logger, message.Id, message.Type, message.Subject, message.CorrelationId);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity?.SetTag("error.type", exception.GetType().FullName);
            SyncTelemetry.OutboxEvents.Add(1, new TagList { { ConcordTelemetry.OutcomeTag, "failed" } });
            Log.EventPublishFailed(logger, message.Id, message.Type, message.Attempts + 1, message.CorrelationId, PersonalDataMasker.Mask(exception.Message));
            return false;
        }
    }
}
