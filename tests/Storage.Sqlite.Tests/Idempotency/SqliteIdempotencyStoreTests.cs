using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Idempotency;

/// <summary>What is particular to the SQLite idempotency store (the shared rules are in <see cref="IdempotencyStoreContractTests"/>).</summary>
public sealed class SqliteIdempotencyStoreTests : IDisposable
{
    private static readonly IdempotencyKey Key = IdempotencyKey.Derive("accounts", "salesforce", "cust-7", "fp-1");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly TempDatabaseFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Completed_and_held_keys_are_answered_while_another_process_holds_the_write_lock()
    {
        // A busy timeout of 0 and one attempt: a claim that needed the write lock would fail at once.
        var store = new SqliteIdempotencyStore(_folder.Open(_time, o => { o.BusyTimeout = TimeSpan.Zero; o.MaxWriteAttempts = 1; }), _time);
        var held = IdempotencyKey.From("held");
        var completed = await store.TryClaimAsync(Key, "fp-1", Lease);
        await store.CompleteAsync(completed, new IdempotencyResult("001ABC", UpsertOutcome.Created));
        _ = await store.TryClaimAsync(held, "fp-1", Lease);
        using var other = new RawSqlite(_folder.DatabasePath);
        other.Execute("BEGIN IMMEDIATE;");

        var replay = await store.TryClaimAsync(Key, "fp-1", Lease);
        var busy = await store.TryClaimAsync(held, "fp-1", Lease);
        var error = await Assert.ThrowsAsync<ConcordException>(() => store.TryClaimAsync(Key, "fp-other", Lease));
        other.Execute("ROLLBACK;");

        Assert.Equal(IdempotencyClaimStatus.AlreadyCompleted, replay.Status);
        Assert.Equal("001ABC", replay.Result!.ExternalId);
        Assert.Equal(IdempotencyClaimStatus.HeldByAnother, busy.Status);
        Assert.Equal(ErrorCategory.Conflict, error.Category);
    }

    [Fact]
    public async Task Taking_over_an_expired_lease_is_logged_as_a_warning_naming_the_key_and_the_lost_claim()
    {
        var logger = new FakeLogger<SqliteIdempotencyStore>();
        var store = new SqliteIdempotencyStore(_folder.Open(_time), _time, logger);
        var first = await store.TryClaimAsync(Key, "fp-1", Lease);
        await store.FailAsync(await store.TryClaimAsync(IdempotencyKey.From("failed"), "fp-1", Lease), "503");
        _ = await store.TryClaimAsync(IdempotencyKey.From("failed"), "fp-1", Lease);
        _time.Advance(Lease);

        _ = await store.TryClaimAsync(Key, "fp-1", Lease);

        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(Key.Value, warning.Message, StringComparison.Ordinal);
        Assert.Contains(first.Token.ToString(), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_are_readable_in_a_plain_SQLite_shell()
    {
        var store = new SqliteIdempotencyStore(_folder.Open(_time), _time);
        var claim = await store.TryClaimAsync(Key, "fp-1", Lease);
        await store.CompleteAsync(claim, new IdempotencyResult("001ABC", UpsertOutcome.Updated, """{"contacts":[]}"""));

        using var raw = new RawSqlite(_folder.DatabasePath);
        var row = Assert.Single(raw.Rows("SELECT state, outcome, external_id, result_payload, attempts, lease_expires_at, updated_at FROM concord_idempotency;"));

        Assert.Equal("completed|updated|001ABC|{\"contacts\":[]}|1|2026-11-23T12:00:30.0000000Z|2026-11-23T12:00:00.0000000Z", row);
    }
}
