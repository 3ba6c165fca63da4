using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;

namespace Concord.Sync.Tests.Engine.Fakes;

/// <summary>
/// An in-process connector: a record store with natural upsert by canonical id, a change feed, matching by tax id,
/// domain and email, per-record failures and an "open circuit" switch. Counts every call.
/// </summary>
internal sealed class FakeCustomerConnector(string name, int maxBatchSize = 50, IReadOnlySet<Concord.Canonical.CustomerField>? carriedFields = null) : ICustomerConnector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CanonicalCustomer> _records = new(StringComparer.Ordinal);
    private readonly List<CustomerChange> _feed = [];
    private readonly List<(Func<CanonicalCustomer, bool> Match, ErrorCategory Category, int Times, string? Message)> _failures = [];
    private readonly HashSet<string> _refusedDomains = new(StringComparer.Ordinal);
    private (ErrorCategory Category, int Times)? _batchReadFailure;
    private int _lostResponses;
    private int _partialWrites;
    private int _answeredPartialWrites;
    private int _nextId;

    public string Name { get; } = name;

    public ConnectorCapabilities Capabilities { get; } = new()
    {
        System = "fake",
        MaxBatchSize = maxBatchSize,
        VendorBatchPreservesOrder = true,
        PublishedRateLimit = new RateLimitDescription(1000, TimeSpan.FromSeconds(1), "none"),
        CarriedFields = carriedFields,
    };

    /// <summary>When set, every call throws a transient "circuit open" exception.</summary>
    public bool CircuitOpen { get; set; }

    /// <summary>When set, every call fails as a whole with this category (wrong credentials, missing rights, a spent quota).</summary>
    public ErrorCategory? SystemFailure { get; set; }

    /// <summary>Every call made to the connector, failed or not (the feed excepted).</summary>
    public int Calls => _calls;

    private int _calls;

    /// <summary>When set, a write stamps the record with this clock's time as its modification time (as a vendor does); otherwise with the written record's source time.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Called before each upsert call is applied (to hold a write in flight, or to observe it).</summary>
    public Func<IReadOnlyList<UpsertRequest>, CancellationToken, Task>? BeforeUpsert { get; set; }

    /// <summary>
    /// When set, the feed serves each record once, in its latest state, as feeds that read "records modified since the
    /// cursor" do: an earlier change of a record that changed again is not served.
    /// </summary>
    public bool LatestStateOnly { get; set; }

    /// <summary>When set, reading the feed fails after this many changes.</summary>
    public int? FeedFailsAfter { get; set; }

    public int UpsertManyCalls { get; private set; }

    public int RecordsWritten { get; private set; }

    public int GetCalls { get; private set; }

    public int GetManyCalls { get; private set; }

    public int FindManyCalls { get; private set; }

    public int FindCalls { get; private set; }

    public int ReadCalls { get; private set; }

    public List<int> BatchSizes { get; } = [];

    /// <summary>Raised when a feed read starts.</summary>
    public event Action? FeedRead;

    public IReadOnlyDictionary<string, CanonicalCustomer> Records
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, CanonicalCustomer>(_records, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Stores a record directly (as if created in the vendor UI) and returns its id.</summary>
    public string Put(CanonicalCustomer customer, DateTimeOffset? modifiedAt = null)
    {
        lock (_gate)
        {
            var id = NewId();
            _records[id] = Stamp(CustomerNormalizer.Normalize(customer), id, modifiedAt);
            return id;
        }
    }

    /// <summary>Appends a change to the feed (and stores the record as this system's own).</summary>
    public string Emit(CanonicalCustomer customer, DateTimeOffset modifiedAt, string? id = null)
    {
        lock (_gate)
        {
            id ??= NewId();
            _records[id] = Stamp(customer, id, modifiedAt);
            _feed.Add(new CustomerChange
            {
                Kind = ChangeKind.Upserted,
                ExternalId = id,
                Customer = customer,
                ModifiedAt = modifiedAt,
                Cursor = new ChangeCursor((_feed.Count + 1).ToString(CultureInfo.InvariantCulture)),
            });
            return id;
        }
    }

    public void EmitDeletion(string id, DateTimeOffset modifiedAt)
    {
        lock (_gate)
        {
            _feed.Add(new CustomerChange { Kind = ChangeKind.Deleted, ExternalId = id, ModifiedAt = modifiedAt, Cursor = new ChangeCursor((_feed.Count + 1).ToString(CultureInfo.InvariantCulture)) });
        }
    }

    public void EmitMerge(string id, string survivor, DateTimeOffset modifiedAt, CanonicalCustomer? loser = null)
    {
        lock (_gate)
        {
            _feed.Add(new CustomerChange { Kind = ChangeKind.Merged, ExternalId = id, MergedIntoExternalId = survivor, Customer = loser, ModifiedAt = modifiedAt, Cursor = new ChangeCursor((_feed.Count + 1).ToString(CultureInfo.InvariantCulture)) });
        }
    }

    /// <summary>Makes writes of matching records fail with <paramref name="category"/> (<paramref name="times"/> times, or always).</summary>
    public void FailWrites(Func<CanonicalCustomer, bool> match, ErrorCategory category, int times = int.MaxValue, string? message = null)
    {
        lock (_gate)
        {
            _failures.Add((match, category, times, message));
        }
    }

    /// <summary>The next <paramref name="times"/> upsert calls apply every write and then fail as a lost response would (a transient error).</summary>
    public void LoseResponses(int times = 1)
    {
        lock (_gate)
        {
            _lostResponses += times;
        }
    }

    /// <summary>The next <paramref name="times"/> upsert calls save each record without its contacts and then fail transiently, as a write cut off half-way.</summary>
    public void WriteOnlyPartly(int times = 1)
    {
        lock (_gate)
        {
            _partialWrites += times;
        }
    }

    /// <summary>The next <paramref name="times"/> calls save each customer without its contacts and answer, per record, that the write was interrupted after part of it was saved (<see cref="UpsertResult.Interrupted"/>), as Odoo does when a later level's load fails.</summary>
    public void AnswerPartlyWritten(int times = 1)
    {
        lock (_gate)
        {
            _answeredPartialWrites += times;
        }
    }

    public void ClearFailures()
    {
        lock (_gate)
        {
            _failures.Clear();
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            _records.Remove(id);
        }
    }

    public void Change(string id, Func<CanonicalCustomer, CanonicalCustomer> edit)
    {
        lock (_gate)
        {
            _records[id] = edit(_records[id]);
        }
    }

    public Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("get");
        lock (_gate)
        {
            GetCalls++;
            return Task.FromResult(_records.GetValueOrDefault(externalId));
        }
    }

    public Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("find");
        lock (_gate)
        {
            FindCalls++;
            ThrowIfRefused(keys);
            return Task.FromResult(Matches(keys));
        }
    }

    public Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("get-many");
        lock (_gate)
        {
            GetManyCalls++;
            ThrowIfBatchReadFails("get-many");
            return Task.FromResult<IReadOnlyList<CanonicalCustomer?>>([.. externalIds.Select(id => _records.GetValueOrDefault(id))]);
        }
    }

    public Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("find-many");
        lock (_gate)
        {
            FindManyCalls++;
            ThrowIfBatchReadFails("find-many");
            foreach (var entry in keys)
            {
                ThrowIfRefused(entry);
            }

            return Task.FromResult<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>>([.. keys.Select(Matches)]);
        }
    }

    /// <summary>Makes the next batch reads fail as a whole with <paramref name="category"/> (as a vendor refusing one bad key fails the call).</summary>
    public void FailBatchReads(ErrorCategory category, int times = 1)
    {
        lock (_gate)
        {
            _batchReadFailure = (category, times);
        }
    }

    /// <summary>Makes every search with this domain among its keys fail with a Validation error, one by one or in a batch.</summary>
    public void RefuseSearchesFor(string domain)
    {
        lock (_gate)
        {
            _refusedDomains.Add(domain);
        }
    }

    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default) =>
        (await UpsertManyAsync([request], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("upsert-many");
        if (BeforeUpsert is { } before)
        {
            await before(requests, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            UpsertManyCalls++;
            BatchSizes.Add(requests.Count);
            var answeredPartial = _answeredPartialWrites > 0;
            if (answeredPartial)
            {
                _answeredPartialWrites--;
            }

            var partial = _partialWrites > 0;
            if (partial)
            {
                _partialWrites--;
            }

            var results = new List<UpsertResult>(requests.Count);
            foreach (var request in requests)
            {
                var failure = _failures.FindIndex(f => f.Times > 0 && f.Match(request.Customer));
                if (failure >= 0)
                {
                    var (match, category, times, message) = _failures[failure];
                    _failures[failure] = (match, category, times - 1, message);
                    results.Add(UpsertResult.Failure(new ConcordException(category, message ?? $"{Name} refused the record.") { System = Name, Operation = "upsert" }));
                    continue;
                }

                RecordsWritten++;
                var canonicalId = request.Customer.Provenance.CanonicalId!;
                var id = request.KnownExternalId is { } known && _records.ContainsKey(known)
                    ? known
                    : _records.FirstOrDefault(r => r.Value.Provenance.CanonicalId == canonicalId).Key;
                var created = id is null;
                id ??= NewId();
                var written = partial || answeredPartial ? request.Customer with { Contacts = [] } : request.Customer;
                _records[id] = Stamp(written, id, Clock?.GetUtcNow());
                results.Add(answeredPartial
                    ? UpsertResult.Interrupted(new ConcordException(ErrorCategory.Transient, $"{Name} saved the company but not its contacts.") { System = Name, Operation = "upsert" })
                    : UpsertResult.Success(created ? UpsertOutcome.Created : UpsertOutcome.Updated, id));
            }

            if (partial)
            {
                throw new ConcordException(ErrorCategory.Transient, $"{Name} stopped half-way through the write.") { System = Name, Operation = "upsert-many" };
            }

            if (_lostResponses > 0)
            {
                _lostResponses--;
                throw new ConcordException(ErrorCategory.Transient, $"The response from {Name} was lost.") { System = Name, Operation = "upsert-many" };
            }

            return results;
        }
    }

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfOpen("read-changes");
        List<CustomerChange> snapshot;
        lock (_gate)
        {
            ReadCalls++;
            var start = from is null ? 0 : int.Parse(from.Value, CultureInfo.InvariantCulture);
            snapshot = _feed.Skip(start).ToList();
            if (LatestStateOnly)
            {
                snapshot = [.. snapshot.Where((change, i) => !snapshot.Skip(i + 1).Any(later => later.ExternalId == change.ExternalId))];
            }
        }

        FeedRead?.Invoke();
        var served = 0;
        foreach (var change in snapshot)
        {
            if (FeedFailsAfter is { } limit && served >= limit)
            {
                throw new ConcordException(ErrorCategory.Transient, $"{Name} feed page failed.") { System = Name, Operation = "read-changes" };
            }

            served++;
            await Task.Yield();
            yield return change;
        }
    }

    private IReadOnlyList<CanonicalCustomer> Matches(MatchKeys keys) =>
        [.. _records.Values.Where(r =>
            r.TaxIds.Any(t => keys.TaxIds.Any(k => k.Value == t.Value && k.Country == t.Country))
            || (keys.Domain is not null && r.Domain == keys.Domain)
            || r.Emails.Any(e => keys.Emails.Contains(e.Address)))];

    private void ThrowIfRefused(MatchKeys keys)
    {
        if (keys.Domain is { } domain && _refusedDomains.Contains(domain))
        {
            throw new ConcordException(ErrorCategory.Validation, $"{Name} refuses to search for that domain.") { System = Name, Operation = "find" };
        }
    }

    private void ThrowIfBatchReadFails(string operation)
    {
        if (_batchReadFailure is { } failure)
        {
            _batchReadFailure = failure.Times > 1 ? (failure.Category, failure.Times - 1) : null;
            throw new ConcordException(failure.Category, $"{Name} failed the batch read.") { System = Name, Operation = operation };
        }
    }

    private void ThrowIfOpen(string operation)
    {
        if (operation != "read-changes")
        {
            Interlocked.Increment(ref _calls);
        }

        if (SystemFailure is { } category && operation != "read-changes")
        {
            throw new ConcordException(category, $"{Name} refused the call ({category}).") { System = Name, Operation = operation };
        }

        if (CircuitOpen)
        {
            throw new ConcordException(ErrorCategory.Transient, $"The circuit to {Name} is open.") { System = Name, Operation = operation };
        }
    }

    private string NewId() => Name + "-" + (++_nextId).ToString(CultureInfo.InvariantCulture);

    private CanonicalCustomer Stamp(CanonicalCustomer customer, string id, DateTimeOffset? modifiedAt) =>
        customer with
        {
            Provenance = customer.Provenance.WithExternalRef(new ExternalRef(Name, id)) with
            {
                SourceSystem = Name,
                SourceModifiedAt = modifiedAt ?? customer.Provenance.SourceModifiedAt,
            },
        };
}
