using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Canonical.Privacy;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Engine;

/// <summary>
/// Handles pages of records for one flow: validate and normalise, resolve identity, then for each target in order take the
/// write leases, merge by ownership, record the write intents and write in batches, and finally commit links, dead
/// letters, events, audit, the settlement of the leases and the cursor as one <see cref="StateChangeSet"/>.
/// </summary>
internal sealed partial class FlowEngine
{
    private readonly string _flow;
    private readonly FlowOptions _options;
    private readonly string _source;
    private readonly IReadOnlyList<KeyValuePair<string, ICustomerConnector>> _targets;
    private readonly IIdentityMap _identityMap;
    private readonly IWriteLedger _ledger;
    private readonly IDeadLetterStore _deadLetters;
    private readonly IStateCommitter _committer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    /// <summary>Pages smaller than this are prepared on the calling thread (parallelism would cost more than it saves).</summary>
    private const int ParallelPrepareThreshold = 64;

    private readonly ICustomerSchemaValidator? _schema;
    private readonly IReadOnlySet<CustomerField>? _sourceFields;
    private readonly Dictionary<string, IReadOnlySet<CustomerField>?> _targetFields;

    public FlowEngine(
        string flow,
        FlowOptions options,
        IReadOnlyList<KeyValuePair<string, ICustomerConnector>> targets,
        IIdentityMap identityMap,
        IWriteLedger ledger,
        IDeadLetterStore deadLetters,
        IStateCommitter committer,
        TimeProvider time,
        ILogger logger,
        ICustomerSchemaValidator? schema,
        IReadOnlySet<CustomerField>? sourceFields = null)
    {
        _flow = flow;
        _options = options;
        _source = options.Source!;
        _targets = targets;
        _identityMap = identityMap;
        _ledger = ledger;
        _deadLetters = deadLetters;
        _committer = committer;
        _time = time;
        _logger = logger;
        _schema = options.ValidateAgainstSchema ? schema : null;
        _sourceFields = sourceFields;
        _targetFields = targets.ToDictionary(t => t.Key, t => t.Value.Capabilities.CarriedFields, StringComparer.Ordinal);
    }

    /// <summary>Handles one page; the cursor after it is checkpointed with the last commit when every record was handled.</summary>
    public Task ProcessPageAsync(IReadOnlyList<IncomingRecord> page, RunState run, ICollection<RecordResult>? results, CancellationToken cancellationToken) =>
        page.Count == 0 ? Task.CompletedTask : ProcessPreparedAsync(Prepare(page, cancellationToken), run, results, cancellationToken);

    /// <summary>
    /// The first stage of a page: normalise and validate each record. It reads no state and touches nothing shared, so it
    /// may run ahead, on another thread, while the page before is still being written (see <see cref="FeedPipeline"/>).
    /// </summary>
    public PreparedPage Prepare(IReadOnlyList<IncomingRecord> page, CancellationToken cancellationToken)
    {
        var works = new List<RecordWork>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            works.Add(new RecordWork(page[i], i, StableIds.DeadLetterIdFor(_flow, _source, page[i].SourceExternalId))
            {
                // Deletions are not propagated; a merge is never propagated as a deletion, nor as an update of the
                // record merged away (it is audited, see AddRecord).
                Skipped = page[i].Kind is ChangeKind.Deleted or ChangeKind.Merged,
            });
        }

        // Normalising and validating are CPU-bound and independent per record (each touches only its own RecordWork).
        if (works.Count >= ParallelPrepareThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.ForEach(works, new ParallelOptions { CancellationToken = cancellationToken }, PrepareRecord);
        }
        else
        {
            works.ForEach(PrepareRecord);
        }

        return new PreparedPage(works);
    }

    /// <summary>The second stage of a page, in feed order: resolve identity, write every target, commit.</summary>
    public async Task ProcessPreparedAsync(PreparedPage page, RunState run, ICollection<RecordResult>? results, CancellationToken cancellationToken)
    {
        var works = page.Works;
        if (works.Count == 0)
        {
            return;
        }

        using var activity = SyncTelemetry.ActivitySource.StartActivity("concord.flow.batch");
        activity?.SetTag(ConcordTelemetry.FlowTag, _flow);
        activity?.SetTag(ConcordTelemetry.CorrelationIdTag, run.CorrelationId);
        activity?.SetTag("concord.batch.size", works.Count);

        run.Read += works.Count;
        var previous = await _deadLetters.GetManyAsync([.. works.Select(w => w.DeadLetterId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        foreach (var work in works)
        {
            work.Previous = work.Incoming.FromDeadLetter ?? previous.GetValueOrDefault(work.DeadLetterId);
            if (work.Skipped)
            {
                run.Skipped++;
            }
        }

        // Records that share a match key (or a source id) with an earlier record of the page go to a later wave, so that
        // the earlier one is written and linked first and the later one finds it instead of creating a duplicate.
        var pending = works;
        var first = true;
        while (true)
        {
            var (wave, later) = SplitWave(pending.Where(w => w.IsActive));
            var committed = first ? [.. works.Where(w => !w.IsActive), .. wave] : wave;
            first = false;

            // The wave's leases are renewed while it writes, so none runs out under a vendor call still in flight.
            using var keeper = new LeaseKeeper(_ledger, _options.WriteLease, _time, _logger, _flow);
            run.Leases = keeper;
            try
            {
                await ResolveIdentityAsync(wave, cancellationToken).ConfigureAwait(false);
                foreach (var target in _targets)
                {
                    await WriteTargetAsync(target.Key, target.Value, [.. wave.Where(w => w.IsActive)], run, cancellationToken).ConfigureAwait(false);
                }

                if (run.Stopped)
                {
                    foreach (var work in later)
                    {
                        work.Unhandled = true;
                    }

                    later = [];
                }

                await CommitAsync(committed, later.Count == 0 ? CheckpointFor(works) : null, run, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Cancelled, or the state could not be read or written: the wave's leases go back now (their intents stay
                // for the next writer to complete) rather than when they expire.
                await ReleaseLeasesAsync(wave).ConfigureAwait(false);
                throw;
            }
            finally
            {
                run.Leases = null;
            }

            if (later.Count == 0)
            {
                break;
            }

            pending = later;
        }

        if (results is not null)
        {
            foreach (var work in works)
            {
                results.Add(work.ToResult());
            }
        }

        activity?.SetTag("concord.batch.dead_lettered", works.Count(w => w.Failure is { Retryable: false }));
    }

    private void PrepareRecord(RecordWork work)
    {
        try
        {
            PrepareRecordCore(work);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever goes wrong with one record stays with that record: it is dead-lettered, the page goes on.
            work.Fail(new RecordFailure(ErrorCategory.Validation, PreparationFailure(exception, work), null, Retryable: false));
        }
    }

    private void PrepareRecordCore(RecordWork work)
    {
        if (work.Skipped)
        {
            return;
        }

        if (work.Incoming.UnreadableReason is { } unreadable)
        {
            work.Fail(new RecordFailure(ErrorCategory.Validation, unreadable, null, Retryable: false));
            return;
        }

        if (work.Incoming.Customer is null)
        {
            work.Fail(new RecordFailure(ErrorCategory.Validation, "The change carries no record.", null, Retryable: false));
            return;
        }

        if (!CustomerNormalizer.TryNormalize(work.Incoming.Customer, out var normalized, out var errors))
        {
            work.Fail(new RecordFailure(
                ErrorCategory.Validation,
                PersonalDataMasker.Mask("Invalid fields: " + string.Join("; ", errors.Select(e => e.Field + " " + e.Message))),
                null,
                Retryable: false));
            return;
        }

        if (_schema is not null)
        {
            var validation = _schema.Validate(CanonicalJson.SerializeToUtf8Bytes(normalized));
            if (!validation.IsValid)
            {
                work.Fail(new RecordFailure(
                    ErrorCategory.Validation,
                    PersonalDataMasker.Mask($"Not a valid {CanonicalSchema.Version} customer: " + string.Join("; ", validation.Errors.Take(5).Select(e => e.Path + " " + e.Message))),
                    null,
                    Retryable: false));
                return;
            }
        }

        var provenance = normalized.Provenance;
        work.Customer = normalized with
        {
            Provenance = provenance with
            {
                SourceSystem = provenance.SourceSystem ?? _source,
                SourceModifiedAt = provenance.SourceModifiedAt ?? work.Incoming.ModifiedAt,
            },
        };
    }

    private static (List<RecordWork> Wave, List<RecordWork> Later) SplitWave(IEnumerable<RecordWork> works)
    {
        var wave = new List<RecordWork>();
        var later = new List<RecordWork>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in works)
        {
            var keys = KeysOf(work);
            if (keys.Any(claimed.Contains))
            {
                later.Add(work);
                continue;
            }

            claimed.UnionWith(keys);
            wave.Add(work);
        }

        return (wave, later);
    }

    private static List<string> KeysOf(RecordWork work)
    {
        var customer = work.Customer!;
        var keys = new List<string>(4) { "src:" + work.Incoming.SourceExternalId };
        foreach (var taxId in customer.TaxIds)
        {
            keys.Add("tax:" + taxId.Country + ":" + taxId.Value);
        }

        if (!string.IsNullOrEmpty(customer.Domain))
        {
            keys.Add("domain:" + customer.Domain);
        }

        foreach (var email in customer.Emails)
        {
            keys.Add("email:" + email.Address);
        }

        return keys;
    }

    private async Task ResolveIdentityAsync(List<RecordWork> wave, CancellationToken cancellationToken)
    {
        if (wave.Count == 0)
        {
            return;
        }

        var references = new HashSet<ExternalRef>();
        foreach (var work in wave)
        {
            references.Add(new ExternalRef(_source, work.Incoming.SourceExternalId));
            references.UnionWith(work.Customer!.Provenance.ExternalRefs);
        }

        var resolved = await _identityMap.ResolveAsync(references, cancellationToken).ConfigureAwait(false);
        foreach (var work in wave)
        {
            var sourceRef = new ExternalRef(_source, work.Incoming.SourceExternalId);
            var linked = work.Customer!.Provenance.ExternalRefs.Append(sourceRef)
                .Select(r => resolved.GetValueOrDefault(r))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (linked.Count > 1)
            {
                work.Fail(new RecordFailure(ErrorCategory.Conflict, $"The record's external references are linked to {linked.Count} different canonical customers.", null, Retryable: false));
                continue;
            }

            work.CanonicalId = linked.Count == 1 ? linked[0] : work.Customer.Provenance.CanonicalId ?? StableIds.CanonicalIdFor(sourceRef);
        }

        var ids = wave.Where(w => w.IsActive).Select(w => w.CanonicalId!).Distinct(StringComparer.Ordinal).ToList();
        var entries = await _identityMap.GetAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (var work in wave.Where(w => w.IsActive))
        {
            work.Entry = entries.GetValueOrDefault(work.CanonicalId!);

            // New to this flow's targets (a source link committed alone does not make a customer known).
            work.IsNewCustomer = work.Entry is null || !_targets.Any(t => work.Entry.LinkTo(t.Key) is not null);
            work.Customer = work.Customer! with
            {
                Provenance = work.Customer.Provenance.WithExternalRef(new ExternalRef(_source, work.Incoming.SourceExternalId)) with { CanonicalId = work.CanonicalId },
            };
            work.SourceFingerprint = CustomerFingerprint.Compute(work.Customer);
            work.Version = VersionOf(work.Customer, work.SourceFingerprint);
        }
    }

    private CursorCheckpoint? CheckpointFor(List<RecordWork> works)
    {
        var firstUnhandled = works.FindIndex(w => w.Unhandled);
        var last = firstUnhandled < 0 ? works[^1] : firstUnhandled == 0 ? null : works[firstUnhandled - 1];
        if (last?.Incoming.Cursor is not { } cursor)
        {
            return null;
        }

        return new CursorCheckpoint
        {
            Flow = _flow,
            Source = _source,
            Cursor = cursor,
            CheckpointedAt = _time.GetUtcNow(),
            LastChangeAt = last.Incoming.ModifiedAt,
        };
    }

    private MergeResult Merge(RecordWork work, CanonicalCustomer? current, string target, OwnWrites? own) =>
        OwnershipMerger.Merge(_options.Ownership, work.Customer!, _source, current, target, _sourceFields, _targetFields.GetValueOrDefault(target), own);

    /// <summary>
    /// The source version a record is: the source's own version stamp, else its modification time, else (a record whose
    /// time is unknown) its content; ordered by the modification time.
    /// </summary>
    private WrittenVersion VersionOf(CanonicalCustomer customer, string fingerprint)
    {
        var provenance = customer.Provenance;
        var stamp = provenance.SourceVersion
            ?? provenance.SourceModifiedAt?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            ?? "content:" + fingerprint;
        return new WrittenVersion(_source, stamp, provenance.SourceModifiedAt, fingerprint);
    }

    private static bool IsTargetLevel(ErrorCategory category) =>
        category is ErrorCategory.Transient or ErrorCategory.RateLimited or ErrorCategory.Authentication or ErrorCategory.Configuration;

    private static ConcordException Classify(Exception exception, string target, string operation) => exception switch
    {
        ConcordException concord => concord,
        HttpRequestException or TimeoutException or IOException => new ConcordException(ErrorCategory.Transient, $"{target} {operation} failed: {exception.GetType().Name}.", exception) { System = target, Operation = operation },
        _ => new ConcordException(ErrorCategory.ContractViolation, $"{target} {operation} failed unexpectedly: {exception.GetType().Name}.", exception) { System = target, Operation = operation },
    };

    private static string Reason(ConcordException exception) => PersonalDataMasker.Mask(exception.Message);

    private static string Reason(ConcordException exception, RecordWork work) =>
        RecordRedactor.Redact(exception.Message, work.Customer ?? work.Incoming.Customer);

    private static TagList Tags(string flow, string target, string outcome) => new()
    {
        { ConcordTelemetry.FlowTag, flow },
        { ConcordTelemetry.SystemTag, target },
        { ConcordTelemetry.OutcomeTag, outcome },
    };

    private static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Created => "created",
        AuditOutcome.Updated => "updated",
        AuditOutcome.Unchanged => "unchanged",
        AuditOutcome.Deferred => "deferred",
        AuditOutcome.Superseded => "superseded",
        _ => "dead-lettered",
    };
}
