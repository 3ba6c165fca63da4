using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Retention;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Idempotency;
using Concord.Sync.Outbox;
using Concord.Sync.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Storage.Sqlite.Tests.Retention;

public sealed class SqliteStatePurgerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDatabaseFolder _folder = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ServiceProvider _provider;

    public SqliteStatePurgerTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddConcord().UseSqlite(_folder.DatabasePath);
        _provider = services.BuildServiceProvider();
    }

    private IStatePurger Purger => _provider.GetRequiredService<IStatePurger>();

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void UseSqlite_registers_the_SQLite_purger()
    {
        Assert.IsType<SqliteStatePurger>(Assert.Single(_provider.GetServices<IStatePurger>()));
    }

    [Fact]
    public async Task Delivered_events_older_than_their_retention_go_and_pending_or_recent_ones_stay()
    {
        var outbox = _provider.GetRequiredService<IOutbox>();
        await outbox.EnqueueAsync([Event("old-1"), Event("old-2")]);
        await DeliverAsync(outbox, 2);
        _time.Advance(TimeSpan.FromDays(6));
        await outbox.EnqueueAsync([Event("recent")]);
        await DeliverAsync(outbox, 1);
        await outbox.EnqueueAsync([Event("pending-a"), Event("pending-b")]);
        _time.Advance(TimeSpan.FromDays(2)); // old ones delivered 8 days ago, the recent one 2 days ago: retention is 7

        var purged = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(StatePurgeResult.None with { DeliveredEvents = 2 }, purged);
        Assert.Equal(2, await outbox.CountPendingAsync());
        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(3L, raw.Scalar("SELECT count(*) FROM concord_outbox;"));
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM concord_outbox WHERE id IN ('old-1', 'old-2');"));
    }

    [Fact]
    public async Task Undelivered_events_go_only_after_their_own_retention_and_are_counted_apart()
    {
        var outbox = _provider.GetRequiredService<IOutbox>();
        await outbox.EnqueueAsync([Event("stale-1"), Event("stale-2")]);
        _time.Advance(TimeSpan.FromDays(29));
        await outbox.EnqueueAsync([Event("fresh")]);
        _time.Advance(TimeSpan.FromDays(2)); // the stale ones wait 31 days undelivered, the fresh one 2: retention is 30

        var keptForever = await Purger.PurgeAsync(new StateRetentionOptions { UndeliveredEvents = null }.CutoffsAt(_time.GetUtcNow()));
        var purged = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(StatePurgeResult.None, keptForever);
        Assert.Equal(StatePurgeResult.None with { UndeliveredEvents = 2 }, purged);
        Assert.Equal(2, purged.Total);
        Assert.Equal(1, await outbox.CountPendingAsync());
        Assert.Equal("fresh", Assert.Single((await outbox.ClaimAsync(10, TimeSpan.FromMinutes(1))).Messages).Id);
    }

    [Fact]
    public async Task Finished_idempotency_keys_go_after_their_retention_and_a_claim_in_progress_stays()
    {
        var store = _provider.GetRequiredService<IIdempotencyStore>();
        var completed = await store.TryClaimAsync(IdempotencyKey.From("completed"), "fp", TimeSpan.FromMinutes(5));
        await store.CompleteAsync(completed, new IdempotencyResult("42", UpsertOutcome.Created));
        var failed = await store.TryClaimAsync(IdempotencyKey.From("failed"), "fp", TimeSpan.FromMinutes(5));
        await store.FailAsync(failed, "refused");
        await store.TryClaimAsync(IdempotencyKey.From("in-progress"), "fp", TimeSpan.FromDays(365));
        _time.Advance(TimeSpan.FromDays(91));

        var purged = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(2, purged.FinishedIdempotencyKeys);
        Assert.Null(await store.GetAsync(IdempotencyKey.From("completed")));
        Assert.Null(await store.GetAsync(IdempotencyKey.From("failed")));
        Assert.Equal(IdempotencyState.Started, (await store.GetAsync(IdempotencyKey.From("in-progress")))!.State);
    }

    [Fact]
    public async Task Resolved_dead_letters_go_after_their_retention_and_open_ones_stay_whatever_their_age()
    {
        var store = _provider.GetRequiredService<IDeadLetterStore>();
        await store.SaveAsync([Letter("resolved"), Letter("open")]);
        await store.ResolveAsync([new DeadLetterResolution("resolved", DeadLetterStatus.Resolved, T0)]);
        _time.Advance(TimeSpan.FromDays(400));

        var purged = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(1, purged.ResolvedDeadLetters);
        Assert.Null(await store.GetAsync("resolved"));
        Assert.Equal(DeadLetterStatus.DeadLettered, (await store.GetAsync("open"))!.Status);
    }

    [Fact]
    public async Task The_audit_log_is_kept_by_default_and_trimmed_only_when_a_retention_is_set()
    {
        var audit = _provider.GetRequiredService<IAuditLog>();
        await audit.AppendAsync([Entry("a-old", T0)]);
        await audit.AppendAsync([Entry("a-new", T0.AddDays(20))]);
        _time.Advance(TimeSpan.FromDays(30));

        var byDefault = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));
        var trimmed = await Purger.PurgeAsync(new StateRetentionOptions { AuditEntries = TimeSpan.FromDays(15) }.CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(0, byDefault.AuditEntries);
        Assert.Equal(1, trimmed.AuditEntries);
        Assert.Equal(["a-new"], (await audit.QueryAsync(new AuditQuery()).ToListAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task A_purge_larger_than_one_batch_deletes_everything_due_in_several_short_transactions()
    {
        var outbox = _provider.GetRequiredService<IOutbox>();
        var count = (SqliteStatePurger.BatchSize * 2) + 17;
        await outbox.EnqueueAsync([.. Enumerable.Range(0, count).Select(i => Event("bulk-" + i.ToString(CultureInfo.InvariantCulture)))]);
        await DeliverAsync(outbox, count);
        _time.Advance(TimeSpan.FromDays(8));

        var purged = await Purger.PurgeAsync(new StateRetentionOptions().CutoffsAt(_time.GetUtcNow()));

        Assert.Equal(count, purged.DeliveredEvents);
        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM concord_outbox;"));
    }

    [Fact]
    public async Task Null_cut_offs_delete_nothing()
    {
        var outbox = _provider.GetRequiredService<IOutbox>();
        await outbox.EnqueueAsync([Event("kept")]);
        await DeliverAsync(outbox, 1);
        _time.Advance(TimeSpan.FromDays(3650));

        var purged = await Purger.PurgeAsync(new StatePurgeCutoffs(null, null, null, null));

        Assert.Equal(StatePurgeResult.None, purged);
    }

    private static async Task DeliverAsync(IOutbox outbox, int count)
    {
        var lease = await outbox.ClaimAsync(count, TimeSpan.FromMinutes(1));
        await outbox.CompleteAsync(lease.Token, [.. lease.Messages.Select(m => m.Id)]);
    }

    private OutboxMessage Event(string id) => new()
    {
        Id = id,
        PartitionKey = "customer-" + id,
        Type = "customer.updated",
        Source = "/concord/flows/flow",
        Time = _time.GetUtcNow(),
        CorrelationId = "run",
        Data = "{}",
    };

    private static DeadLetter Letter(string id) => new()
    {
        Id = id,
        Flow = "flow",
        SourceSystem = "salesforce",
        SourceExternalId = "001" + id,
        Category = ErrorCategory.Validation,
        Reason = "invalid",
        Payload = "{}",
        CorrelationId = "run",
        Status = DeadLetterStatus.DeadLettered,
        Attempts = 1,
        FirstFailedAt = T0,
        LastFailedAt = T0,
    };

    private static AuditEntry Entry(string id, DateTimeOffset at) => new()
    {
        Id = id,
        At = at,
        Flow = "flow",
        SourceSystem = "salesforce",
        Actor = "test",
        CorrelationId = "run",
        Outcome = AuditOutcome.Updated,
    };
}
