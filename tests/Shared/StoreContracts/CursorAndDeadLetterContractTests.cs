using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;

namespace Concord.StoreContracts.Tests;

/// <summary>The contract of the engine's durable stores, run against each implementation by a subclass.</summary>
public abstract class CursorAndDeadLetterContractTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly EngineStateFixture _state;

    protected CursorAndDeadLetterContractTests() => _state = CreateState();

    public void Dispose() => _state.Dispose();

    /// <summary>Creates the stores on new, empty state; <paramref name="clock"/> defaults to a fake clock at 2026-11-23 12:00 UTC.</summary>
    protected abstract EngineStateFixture CreateState(TimeProvider? clock = null);

    [Fact]
    public async Task A_saved_checkpoint_replaces_the_previous_one_and_survives_reopening_the_file()
    {
        await _state.Cursors().SaveAsync(Checkpoint("10"));
        await _state.Cursors().SaveAsync(Checkpoint("20") with { LastChangeAt = At.AddMinutes(-1) });

        var reopened = _state.Cursors(_state.Reopen());
        var checkpoint = await reopened.GetAsync("flow", "salesforce");

        Assert.Equal("20", checkpoint!.Cursor.Value);
        Assert.Equal(At.AddMinutes(-1), checkpoint.LastChangeAt);
        Assert.Null(await reopened.GetAsync("flow", "hubspot"));
    }

    [Fact]
    public async Task A_later_failure_of_the_same_record_replaces_its_entry()
    {
        var store = _state.DeadLetters();
        await store.SaveAsync([Letter("dl-1", DeadLetterStatus.Deferred, attempts: 1)]);

        await store.SaveAsync([Letter("dl-1", DeadLetterStatus.DeadLettered, attempts: 2) with { Reason = "still failing" }]);

        var entry = await store.GetAsync("dl-1");
        Assert.Equal(DeadLetterStatus.DeadLettered, entry!.Status);
        Assert.Equal(2, entry.Attempts);
        Assert.Equal("still failing", entry.Reason);
        Assert.Equal(ErrorCategory.Validation, entry.Category);
        Assert.Single(await store.ListAsync(new DeadLetterQuery()).ToListAsync());
    }

    [Fact]
    public async Task Listing_filters_by_flow_and_status_oldest_first_across_pages_and_honours_the_limit()
    {
        var store = _state.DeadLetters();
        var letters = Enumerable.Range(0, 450)
            .Select(i => Letter($"dl-{i:D4}", i % 2 == 0 ? DeadLetterStatus.DeadLettered : DeadLetterStatus.Deferred, firstFailedAt: At.AddSeconds(-i)) with { Flow = i % 3 == 0 ? "other" : "flow" })
            .ToList();
        await store.SaveAsync(letters);

        var listed = await store.ListAsync(new DeadLetterQuery { Flow = "flow", Status = DeadLetterStatus.DeadLettered }).ToListAsync();
        var limited = await store.ListAsync(new DeadLetterQuery { Limit = 250 }).ToListAsync();

        var expected = letters.Where(l => l.Flow == "flow" && l.Status == DeadLetterStatus.DeadLettered).OrderBy(l => l.FirstFailedAt).Select(l => l.Id);
        Assert.Equal(expected, listed.Select(l => l.Id));
        Assert.Equal(250, limited.Count);
        Assert.Equal(letters.OrderBy(l => l.FirstFailedAt).Take(250).Select(l => l.Id), limited.Select(l => l.Id));
    }

    [Fact]
    public async Task Resolving_closes_open_entries_only()
    {
        var store = _state.DeadLetters();
        await store.SaveAsync([Letter("open", DeadLetterStatus.DeadLettered), Letter("closed", DeadLetterStatus.Discarded)]);

        await store.ResolveAsync([new DeadLetterResolution("open", DeadLetterStatus.Resolved, At), new DeadLetterResolution("closed", DeadLetterStatus.Resolved, At), new DeadLetterResolution("unknown", DeadLetterStatus.Resolved, At)]);

        var found = await store.GetManyAsync(["open", "closed", "unknown"]);
        Assert.Equal(2, found.Count);
        Assert.Equal(DeadLetterStatus.Resolved, found["open"].Status);
        Assert.Equal(At, found["open"].ResolvedAt);
        Assert.Equal(DeadLetterStatus.Discarded, found["closed"].Status);
        Assert.Null(found["closed"].ResolvedAt);
    }

    private static CursorCheckpoint Checkpoint(string cursor) =>
        new() { Flow = "flow", Source = "salesforce", Cursor = new ChangeCursor(cursor), CheckpointedAt = At };

    private static DeadLetter Letter(string id, DeadLetterStatus status, int attempts = 1, DateTimeOffset? firstFailedAt = null) => new()
    {
        Id = id,
        Flow = "flow",
        SourceSystem = "salesforce",
        SourceExternalId = "001" + id,
        CanonicalId = "c-" + id,
        TargetSystem = "odoo",
        Category = ErrorCategory.Validation,
        Reason = "$.emails[0].address is not an email",
        Payload = "{\"name\":\"x\"}",
        CorrelationId = "run-1",
        Status = status,
        Attempts = attempts,
        FirstFailedAt = firstFailedAt ?? At,
        LastFailedAt = At,
    };
}
