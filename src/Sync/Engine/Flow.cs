using System.Diagnostics;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Canonical.Serialization;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Reconciliation;
using Concord.Sync.Reconciliation.Internal;
using Concord.Sync.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Engine;

/// <summary>One declared flow: runs are serialised by a gate; the engine does the work.</summary>
internal sealed partial class Flow : IFlow, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ICustomerConnector? _sourceConnector;
    private readonly FlowEngine _engine;
    private readonly FlowReconciler _reconciler;
    private readonly ICursorStore _cursors;
    private readonly IDeadLetterStore _deadLetters;
    private readonly IFeedLeaseStore _feedLeases;
    private readonly string _holder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FeedLease? _feedLease;

    public Flow(string name, FlowOptions options, ICustomerConnector? sourceConnector, FlowEngine engine, FlowReconciler reconciler, ICursorStore cursors, IDeadLetterStore deadLetters, IFeedLeaseStore feedLeases, string holder, TimeProvider time, ILogger logger)
    {
        _feedLeases = feedLeases;
        _holder = holder;
        Name = name;
        Options = options;
        _sourceConnector = sourceConnector;
        _engine = engine;
        _reconciler = reconciler;
        _cursors = cursors;
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    public FlowOptions Options { get; }

    private string Source => Options.Source!;

    public Task<FlowRunSummary> RunOnceAsync(CancellationToken cancellationToken = default) =>
        RunAsync("run", async run =>
        {
            if (_engine.StopIfPaused(run))
            {
                return;
            }

            await ProcessDeadLettersAsync(DeadLetterStatus.Deferred, ReplayPayload.Stored, run, cancellationToken).ConfigureAwait(false);
            if (Options.ReactsToWebhooks && !run.Stopped)
            {
                await DrainWebhooksAsync(run, cancellationToken).ConfigureAwait(false);
            }

            if (Options.SourceKind == FlowSourceKind.ChangeFeed && !run.Stopped)
            {
                await ReadFeedAsync(run, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public async Task<RecordResult> SubmitAsync(CanonicalCustomer customer, CancellationToken cancellationToken = default)
    {
        var incoming = FromSubmission(customer);
        var results = new List<RecordResult>(1);
        await RunAsync("submit", run => _engine.ProcessPageAsync([incoming], run, results, cancellationToken), cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public Task<FlowRunSummary> SubmitManyAsync(IEnumerable<CanonicalCustomer> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return RunAsync("submit", async run =>
        {
            foreach (var page in customers.Select(FromSubmission).Chunk(Options.PageSize))
            {
                await _engine.ProcessPageAsync(page, run, null, cancellationToken).ConfigureAwait(false);
                if (run.Stopped)
                {
                    break;
                }
            }
        }, cancellationToken);
    }

    public async Task<RecordResult> ReplayAsync(string deadLetterId, ReplayPayload payload = ReplayPayload.Current, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadLetterId);
        var deadLetter = await _deadLetters.GetAsync(deadLetterId, cancellationToken).ConfigureAwait(false);
        if (deadLetter is null || !string.Equals(deadLetter.Flow, Name, StringComparison.Ordinal))
        {
            throw new KeyNotFoundException($"Flow '{Name}' has no dead letter '{deadLetterId}'.");
        }

        if (deadLetter.Status is not (DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered))
        {
            // Resolved (delivered since, or superseded) or discarded: running it again could only write an old version.
            return NotRunAgain(deadLetter);
        }

        // Claimed like ReplayAllAsync's chunks, so that two instances replaying (or retrying) the entry at once do not both run it.
        var claimed = await _deadLetters.ClaimAsync([deadLetterId], _holder, Options.WriteLease, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            throw new ConcordException(ErrorCategory.Conflict, $"Dead letter '{deadLetterId}' of flow '{Name}' is being replayed or retried by another instance; ask again once it is done.")
            {
                Operation = "replay",
                RetryAfter = Options.WriteLease,
            };
        }

        try
        {
            deadLetter = claimed[0];
            if (deadLetter.Status is not (DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered))
            {
                // Resolved or discarded by another instance between the read and the claim.
                return NotRunAgain(deadLetter);
            }

            var results = new List<RecordResult>(1);
            await RunAsync(
                "replay",
                async run =>
                {
                    var incoming = await LoadAsync([deadLetter], payload, cancellationToken).ConfigureAwait(false);
                    await _engine.ProcessPageAsync(incoming, run, results, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return results[0];
        }
        finally
        {
            await _deadLetters.ReleaseAsync([deadLetterId], _holder, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The answer to a replay of an entry that is no longer open: nothing was run.</summary>
    private static RecordResult NotRunAgain(DeadLetter deadLetter) =>
        new RecordResult { SourceExternalId = deadLetter.SourceExternalId, CanonicalId = deadLetter.CanonicalId, Outcome = Audit.AuditOutcome.Unchanged, DeadLetterId = deadLetter.Id };

    public Task<FlowRunSummary> ReplayAllAsync(CancellationToken cancellationToken = default) =>
        RunAsync("replay", async run =>
        {
            await ProcessDeadLettersAsync(DeadLetterStatus.DeadLettered, ReplayPayload.Current, run, cancellationToken).ConfigureAwait(false);
            await ProcessDeadLettersAsync(DeadLetterStatus.Deferred, ReplayPayload.Current, run, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<ReconciliationReport> ReconcileAsync(ReconciliationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_sourceConnector is null)
        {
            throw new InvalidOperationException($"Flow '{Name}' takes host-submitted records; reconciliation needs a change-feed source it can read in full.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _reconciler.ReconcileAsync(_sourceConnector, options ?? new ReconciliationOptions(), NewCorrelationId(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Gives the feed lease back when this instance holds it and no run is under way (the host is stopping), so that
    /// another instance reads the feed at once instead of after the lease runs out. Best effort: a store that cannot be
    /// reached leaves the lease to expire.
    /// </summary>
    public async Task ReleaseFeedLeaseAsync()
    {
        if (_feedLease is null || !await _gate.WaitAsync(TimeSpan.Zero).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (_feedLease is { } held)
            {
                _feedLease = null;
                await _feedLeases.ReleaseAsync(held).ConfigureAwait(false);
            }
        }
        catch (ConcordException)
        {
            // The lease expires by itself.
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static IncomingRecord FromDeadLetter(DeadLetter deadLetter)
    {
        try
        {
            var customer = CanonicalJson.Deserialize(deadLetter.Payload);
            // The source time the payload was read at (stored with it), never the time of the failure.
            return new IncomingRecord(ChangeKind.Upserted, deadLetter.SourceExternalId, customer, customer.Provenance.SourceModifiedAt, null) { FromDeadLetter = deadLetter };
        }
        catch (JsonException exception)
        {
            return new IncomingRecord(ChangeKind.Upserted, deadLetter.SourceExternalId, null, null, null)
            {
                FromDeadLetter = deadLetter,
                UnreadableReason = $"The stored payload is not a canonical customer (at {exception.Path ?? "$"}).",
            };
        }
    }

    private static string NewCorrelationId() => Guid.NewGuid().ToString("N");

    /// <summary>The run's correlation id: the trace id of its span when it is traced (so logs, events and audit entries lead to the trace), else a new id of the same shape.</summary>
    private static string CorrelationIdFor(Activity? activity) =>
        activity is not null && activity.TraceId != default ? activity.TraceId.ToHexString() : NewCorrelationId();

    private IncomingRecord FromSubmission(CanonicalCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var id = customer.Provenance.ExternalIdIn(Source) ?? customer.Provenance.CanonicalId
            ?? throw new ArgumentException($"A record submitted to flow '{Name}' needs its id in '{Source}' (Provenance.ExternalRefs) or a canonical id.", nameof(customer));
        return new IncomingRecord(ChangeKind.Upserted, id, customer, customer.Provenance.SourceModifiedAt ?? _time.GetUtcNow(), null);
    }

    private async Task<FlowRunSummary> RunAsync(string operation, Func<RunState, Task> body, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _time.GetTimestamp();
            using var activity = SyncTelemetry.ActivitySource.StartActivity("concord.flow." + operation);
            var run = new RunState(Name, CorrelationIdFor(activity), _time.GetUtcNow());
            activity?.SetTag(ConcordTelemetry.FlowTag, Name);
            activity?.SetTag(ConcordTelemetry.CorrelationIdTag, run.CorrelationId);
            activity?.SetTag(ConcordTelemetry.OperationTag, "flow." + operation);
            Log.RunStarted(_logger, Name, run.CorrelationId);
            try
            {
                await body(run).ConfigureAwait(false);
            }
            catch (ConcordException exception)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Category.ToString());
                activity?.SetTag(ConcordTelemetry.ErrorCategoryTag, exception.Category.ToString());
                Log.RunFailed(_logger, Name, exception.Category, PersonalDataMasker.Mask(exception.Message));
                throw;
            }
            catch (Exception exception)
            {
                // Cancelled, or a defect: the span says the run did not complete.
                activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                activity?.SetTag("error.type", exception.GetType().FullName);
                throw;
            }

            var summary = run.ToSummary(_time.GetElapsedTime(started));
            if (activity is not null)
            {
                activity.SetTag("concord.records.read", summary.Read);
                activity.SetTag("concord.records.dead_lettered", summary.DeadLettered);
                activity.SetTag("concord.records.deferred", summary.Deferred);
            }

            if (summary.Stopped)
            {
                if (summary.StopCategory is { } category)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, summary.StopReason);
                    activity?.SetTag(ConcordTelemetry.ErrorCategoryTag, category.ToString());
                }

                if (run.StoppedByPause)
                {
                    Log.RunStoppedWhilePaused(_logger, Name, run.CorrelationId, summary.StopReason!); // the pause itself was logged when it began
                }
                else
                {
                    Log.RunStopped(_logger, Name, run.CorrelationId, summary.StopReason!);
                }
            }

            Log.RunCompleted(_logger, Name, run.CorrelationId, (long)summary.Elapsed.TotalMilliseconds, summary.Read, summary.Created, summary.Updated, summary.Unchanged, summary.RefusedByOwnership, summary.DeadLettered, summary.Deferred, summary.DuplicatesAvoided);
            SyncTelemetry.FlowRunDuration.Record(summary.Elapsed.TotalSeconds, new TagList { { ConcordTelemetry.FlowTag, Name } });
            return summary;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Feeds open dead letters back: deferred ones with their stored version at the start of a run; replays with the
    /// source's current record. Each chunk is claimed first (<see cref="IDeadLetterStore.ClaimAsync"/>), so that host
    /// instances retrying or replaying at once share the entries instead of working one twice; entries another instance
    /// holds are left to it. The claim lasts <see cref="FlowOptions.WriteLease"/> and is given back after the chunk.
    /// </summary>
    private async Task ProcessDeadLettersAsync(DeadLetterStatus status, ReplayPayload payload, RunState run, CancellationToken cancellationToken)
    {
        var open = new List<string>();
        await foreach (var deadLetter in _deadLetters.ListAsync(new DeadLetterQuery { Flow = Name, Status = status }, cancellationToken).ConfigureAwait(false))
        {
            open.Add(deadLetter.Id);
        }

        foreach (var chunk in open.Chunk(Options.PageSize))
        {
            var claimed = (await _deadLetters.ClaimAsync(chunk, _holder, Options.WriteLease, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Status == status && string.Equals(d.Flow, Name, StringComparison.Ordinal))
                .ToList();
            try
            {
                if (claimed.Count > 0)
                {
                    await _engine.ProcessPageAsync(await LoadAsync(claimed, payload, cancellationToken).ConfigureAwait(false), run, null, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                await _deadLetters.ReleaseAsync(chunk, _holder, CancellationToken.None).ConfigureAwait(false);
            }

            if (run.Stopped)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The records to feed back for <paramref name="deadLetters"/>: the stored payloads, or the source's records as they are
    /// now (one batch read; a record the source no longer has comes back as a deletion, which discards its dead letter).
    /// </summary>
    private async Task<IReadOnlyList<IncomingRecord>> LoadAsync(IReadOnlyList<DeadLetter> deadLetters, ReplayPayload payload, CancellationToken cancellationToken)
    {
        if (payload == ReplayPayload.Stored || _sourceConnector is null)
        {
            return [.. deadLetters.Select(FromDeadLetter)];
        }

        IReadOnlyList<CanonicalCustomer?> current;
        try
        {
            current = await _sourceConnector.GetManyAsync([.. deadLetters.Select(d => d.SourceExternalId)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or ConcordException))
        {
            throw new ConcordException(ErrorCategory.Transient, $"The {Source} records to replay could not be read: {exception.GetType().Name}.", exception) { System = Source, Operation = "get-many" };
        }

        if (current.Count != deadLetters.Count)
        {
            throw new ConcordException(ErrorCategory.ContractViolation, $"{Source} returned {current.Count} records for {deadLetters.Count} reads.") { System = Source, Operation = "get-many" };
        }

        return [.. deadLetters.Select((deadLetter, i) => current[i] is { } customer
            ? new IncomingRecord(ChangeKind.Upserted, deadLetter.SourceExternalId, customer, customer.Provenance.SourceModifiedAt, null) { FromDeadLetter = deadLetter }
            : new IncomingRecord(ChangeKind.Deleted, deadLetter.SourceExternalId, null, null, null) { FromDeadLetter = deadLetter })];
    }

    /// <summary>
    /// Reads the change feed under its lease (one reader across host instances): nothing when another instance holds it;
    /// else from the committed cursor, every commit fenced by the lease's token. A lease taken over meanwhile stops the read.
    /// </summary>
    private async Task ReadFeedAsync(RunState run, CancellationToken cancellationToken)
    {
        var lease = await AcquireFeedLeaseAsync(run, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            Log.FeedLeaseHeldElsewhere(_logger, Name, run.CorrelationId, Source);
            run.FeedHeldElsewhere = true;
            return;
        }

        using var keeper = new FeedLeaseKeeper(_feedLeases, lease, Options.FeedLease, _time, _logger);
        run.FeedLease = lease;
        try
        {
            await ReadFeedUnderLeaseAsync(keeper, run, cancellationToken).ConfigureAwait(false);
        }
        catch (FeedLeaseLostException)
        {
            keeper.Dispose();
            LoseFeedLease(lease, run);
            return;
        }
        finally
        {
            run.FeedLease = null;
        }

        if (keeper.Lost)
        {
            LoseFeedLease(lease, run);
        }
        else
        {
            _feedLease = keeper.Lease;
        }
    }

    /// <summary>Renews the lease this instance holds, or acquires the feed's lease when it has none (or lost it).</summary>
    private async Task<FeedLease?> AcquireFeedLeaseAsync(RunState run, CancellationToken cancellationToken)
    {
        if (_feedLease is { } held && await _feedLeases.RenewAsync(held, Options.FeedLease, cancellationToken).ConfigureAwait(false) is { } renewed)
        {
            return _feedLease = renewed;
        }

        _feedLease = await _feedLeases.TryAcquireAsync(Name, Source, _holder, Options.FeedLease, cancellationToken).ConfigureAwait(false);
        if (_feedLease is not null)
        {
            Log.FeedLeaseAcquired(_logger, Name, run.CorrelationId, Source, _holder, _feedLease.Token);
        }

        return _feedLease;
    }

    private void LoseFeedLease(FeedLease lease, RunState run)
    {
        _feedLease = null;
        Log.FeedLeaseLost(_logger, Name, run.CorrelationId, Source, lease.Token);
        run.Stop($"The lease on the {Source} change feed was taken over by another instance; this instance stops reading until it acquires it again.", ErrorCategory.Conflict);
    }

    private async Task ReadFeedUnderLeaseAsync(FeedLeaseKeeper keeper, RunState run, CancellationToken cancellationToken)
    {
        var checkpoint = await _cursors.GetAsync(Name, Source, cancellationToken).ConfigureAwait(false);
        if (checkpoint?.LastChangeAt is { } lastChange)
        {
            _engine.Monitor.CaughtUp(Name, lastChange);
        }

        var readFrom = _time.GetUtcNow();
        var readFailure = await FeedPipeline.RunAsync(
            _sourceConnector!.ReadChangesAsync(checkpoint?.Cursor, cancellationToken),
            Options.PageSize,
            _engine.Prepare,
            async page =>
            {
                await _engine.ProcessPreparedAsync(page, run, null, cancellationToken).ConfigureAwait(false);
                return !run.Stopped && !keeper.Lost;
            },
            cancellationToken).ConfigureAwait(false);
        if (readFailure is not null)
        {
            run.Stop($"The {Source} change feed could not be read ({readFailure.Category}): {PersonalDataMasker.Mask(readFailure.Message)}", readFailure.Category);
        }
        else if (!run.Stopped && !keeper.Lost)
        {
            // Every change made before this read began has been handled (or is parked as a dead letter).
            _engine.Monitor.CaughtUp(Name, readFrom);
        }
    }
}
