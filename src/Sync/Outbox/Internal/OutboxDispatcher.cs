using System.Diagnostics;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Outbox.Internal;

/// <summary>Claims pending events with a lease, publishes them in order, completes the delivered and releases the rest.</summary>
internal sealed class OutboxDispatcher(IOutbox outbox, IOutboxPublisher publisher, IOptions<OutboxDispatcherOptions> options, ILogger<OutboxDispatcher> logger) : IOutboxDispatcher
{
    private const int MaxRounds = 10_000;

    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
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

                try
                {
                    await publisher.PublishAsync(CloudEventConverter.ToCloudEvent(message), cancellationToken).ConfigureAwait(false);
                    delivered.Add(message.Id);
                    Log.EventPublished(logger, message.Id, message.Type, message.Subject, message.CorrelationId);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Keep the customer's order: its later events wait for this one.
                    blocked.Add(message.PartitionKey);
                    undelivered.Add(message.Id);
                    SyncTelemetry.OutboxEvents.Add(1, new TagList { { ConcordTelemetry.OutcomeTag, "failed" } });
                    Log.EventPublishFailed(logger, message.Id, message.Type, message.Attempts + 1, message.CorrelationId, PersonalDataMasker.Mask(exception.Message));
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

        return published;
    }
}
