using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Inbox;

namespace Concord.Sync.Engine;

/// <summary>
/// The webhook side of a flow: pending inbox entries of its sender are hints. Their records are re-read in a batch through
/// the source connector (never taken from the payload) and handled on the governed path; the entries are completed only
/// after the page's state is committed, so a crash in between leaves them pending for the next run.
/// </summary>
internal sealed partial class Flow
{
    /// <summary>The inbox the flow drains when it reacts to webhooks (set by the runner).</summary>
    internal IWebhookInbox? Inbox { get; init; }

    /// <summary>The sender whose entries are this flow's hints: the declared one, else the source connector's name.</summary>
    private string WebhookSender => Options.WebhookSender ?? Source;

    public Task<FlowRunSummary> RunWebhooksAsync(CancellationToken cancellationToken = default) =>
        RunAsync("webhooks", async run =>
        {
            if (!Options.ReactsToWebhooks || _engine.StopIfPaused(run))
            {
                return;
            }

            await DrainWebhooksAsync(run, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Handles pending hints page by page until none is left, the run stops, or a page brings nothing new.</summary>
    private async Task DrainWebhooksAsync(RunState run, CancellationToken cancellationToken)
    {
        if (Inbox is null || _sourceConnector is null)
        {
            return;
        }

        while (!run.Stopped)
        {
            var entries = await Inbox.ReadPendingAsync(WebhookSender, Options.PageSize, cancellationToken).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                return;
            }

            var incoming = await ReadHintedAsync(entries, run, cancellationToken).ConfigureAwait(false);
            if (incoming is null)
            {
                return; // the source could not be read: the run stopped, the entries stay pending
            }

            await _engine.ProcessPageAsync(incoming, run, null, cancellationToken).ConfigureAwait(false);
            if (run.Stopped)
            {
                return; // records left unhandled (a target paused mid-page): the entries stay pending, handled again later
            }

            // Committed: the hints are done. A retry of any of them is still recognised by its key.
            await Inbox.CompleteAsync(WebhookSender, entries.Select(e => e.Key), cancellationToken).ConfigureAwait(false);
            if (entries.Count < Options.PageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The source's records the entries name, as they are now: one resolution per record type (a contact's event names its
    /// companies) and one batch read; each customer once however many events name it. A record the source no longer has
    /// comes back as a deletion (not propagated). Null when the source could not be read (the run is stopped).
    /// </summary>
    private async Task<IReadOnlyList<IncomingRecord>?> ReadHintedAsync(IReadOnlyList<WebhookInboxEntry> entries, RunState run, CancellationToken cancellationToken)
    {
        var connector = _sourceConnector!;
        List<(string Id, CanonicalCustomer? Customer)> records;
        try
        {
            var ids = new List<string>();
            foreach (var group in entries.Where(e => !string.IsNullOrEmpty(e.ObjectId)).GroupBy(e => e.ObjectType, StringComparer.Ordinal))
            {
                ids.AddRange(await connector.ResolveCustomerIdsAsync(group.Key, [.. group.Select(e => e.ObjectId!).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false));
            }

            ids = [.. ids.Distinct(StringComparer.Ordinal)];
            if (ids.Count == 0)
            {
                return [];
            }

            var current = await connector.GetManyAsync(ids, cancellationToken).ConfigureAwait(false);
            if (current.Count != ids.Count)
            {
                throw new ConcordException(ErrorCategory.ContractViolation, $"{Source} returned {current.Count} records for {ids.Count} reads.") { System = Source, Operation = "get-many" };
            }

            Log.WebhookHintsRead(_logger, Name, run.CorrelationId, WebhookSender, entries.Count, ids.Count);
            records = [.. ids.Select((id, i) => (id, current[i]))];
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = exception as ConcordException
                ?? new ConcordException(ErrorCategory.Transient, $"The {Source} records named by webhooks could not be read: {exception.GetType().Name}.", exception) { System = Source, Operation = "get-many" };
            run.Stop($"The {Source} records named by webhooks could not be read ({error.Category}): {PersonalDataMasker.Mask(error.Message)}", error.Category);
            return null;
        }

        // Concord's own writes to the source come back as webhooks too: they are not handled again.
        var echoes = run.EchoesSuppressed;
        records = await WithoutEchoesAsync(records, run, cancellationToken).ConfigureAwait(false);
        if (run.EchoesSuppressed > echoes)
        {
            Log.WebhookEchoesSuppressed(_logger, Name, run.CorrelationId, WebhookSender, run.EchoesSuppressed - echoes);
        }

        return [.. records.Select(r => r.Customer is { } customer
            ? new IncomingRecord(ChangeKind.Upserted, r.Id, customer, customer.Provenance.SourceModifiedAt, null)
            : new IncomingRecord(ChangeKind.Deleted, r.Id, null, null, null))];
    }
}
