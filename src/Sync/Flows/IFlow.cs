using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Reconciliation;

namespace Concord.Sync.Flows;

/// <summary>
/// One declared flow: run it, submit records to it, replay its dead letters and reconcile its source with its targets.
/// Runs of one flow are serialised (a second call waits for the first); different flows run in parallel.
/// </summary>
public interface IFlow
{
    /// <summary>The flow name.</summary>
    string Name { get; }

    /// <summary>The declaration.</summary>
    FlowOptions Options { get; }

    /// <summary>
    /// Runs one pass: retries records deferred by earlier runs, then (for a change-feed flow) reads the source from its
    /// checkpoint to the end, handling and checkpointing page by page.
    /// </summary>
    /// <param name="cancellationToken">Stops the run after the page in hand is committed or abandoned; the cursor stays consistent.</param>
    /// <returns>
    /// What the run did. Failures of the systems the flow connects are reported here, not thrown: when the source cannot
    /// be read, or the flow is paused for a target (<see cref="FlowOptions.ProbeInterval"/>), the run commits what it
    /// handled, stops, and returns <see cref="FlowRunSummary.Stopped"/> with <see cref="FlowRunSummary.StopReason"/> and
    /// <see cref="FlowRunSummary.StopCategory"/>; the next run resumes from the cursor. Record-level failures are
    /// counted as dead-lettered or deferred.
    /// </returns>
    /// <exception cref="ConcordException">Concord's own state (identity map, cursors, dead letters, outbox, audit) could not be read or written; nothing after the last commit counts as done.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<FlowRunSummary> RunOnceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Handles the pending webhook hints of a flow declared with <see cref="FlowBuilder.OnWebhooks"/>, without reading the
    /// change feed: the records they name are re-read in a batch through the source connector and handled like any change;
    /// the hints are completed once their page is committed (<see cref="RunOnceAsync"/> handles them too, before the feed).
    /// A flow that does not react to webhooks does nothing.
    /// </summary>
    /// <param name="cancellationToken">Stops the run; hints not committed stay pending.</param>
    /// <returns>What the run did; a source that cannot be read stops it (<see cref="FlowRunSummary.Stopped"/>) with the hints left pending.</returns>
    /// <exception cref="ConcordException">Concord's own state could not be read or written.</exception>
    Task<FlowRunSummary> RunWebhooksAsync(CancellationToken cancellationToken = default);

    /// <summary>Handles one record the host submits; its id in the flow's source is <see cref="Provenance.ExternalIdIn"/> of the source, else its canonical id.</summary>
    /// <param name="customer">The record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to it.</returns>
    /// <exception cref="ArgumentException">The record carries no id in the source and no canonical id.</exception>
    Task<RecordResult> SubmitAsync(CanonicalCustomer customer, CancellationToken cancellationToken = default);

    /// <summary>Handles records the host submits, in pages, as one run.</summary>
    /// <param name="customers">The records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the run did.</returns>
    Task<FlowRunSummary> SubmitManyAsync(IEnumerable<CanonicalCustomer> customers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Feeds one open dead letter back through the flow. By default the source's record is read again as it is now
    /// (<see cref="ReplayPayload.Current"/>); the payload stored with the entry is used only when asked for, or when the
    /// flow has no source to read (host-submitted records). A replay takes the same path as any change: it never writes
    /// twice, and never writes a version older than the one the target last received. An entry already resolved is not
    /// run again: the answer is <see cref="Audit.AuditOutcome.Unchanged"/> and nothing is written. The entry is claimed for
    /// the replay (as <see cref="ReplayAllAsync"/> claims its chunks), so host instances sharing one state never run it twice at once.
    /// </summary>
    /// <param name="deadLetterId">The dead-letter entry id.</param>
    /// <param name="payload">The source's current record (the default), or the payload stored with the entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to the record.</returns>
    /// <exception cref="KeyNotFoundException">No entry of this flow has that id.</exception>
    /// <exception cref="ConcordException">Another instance is replaying or retrying the entry now (<see cref="ErrorCategory.Conflict"/>, with
    /// <see cref="ConcordException.RetryAfter"/>): nothing was written; ask again later.</exception>
    Task<RecordResult> ReplayAsync(string deadLetterId, ReplayPayload payload = ReplayPayload.Current, CancellationToken cancellationToken = default);

    /// <summary>Feeds every open (dead-lettered or deferred) entry of this flow back through it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the replay did.</returns>
    Task<FlowRunSummary> ReplayAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Compares the source with each target through the identity map and reports drift; repairs it when asked.</summary>
    /// <param name="options">What to compare and whether to repair; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The drift found (and what was repaired).</returns>
    Task<ReconciliationReport> ReconcileAsync(ReconciliationOptions? options = null, CancellationToken cancellationToken = default);
}
