using Concord.Storage.PostgreSql.Audit;
using Concord.Storage.PostgreSql.Cursors;
using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.Identity;
using Concord.Storage.PostgreSql.Idempotency;
using Concord.Storage.PostgreSql.Outbox;
using Concord.Storage.PostgreSql.State;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.Storage.PostgreSql.Writes;
using Concord.StoreContracts.Tests;
using Concord.Sync.Idempotency;
using Concord.Sync.Storage;

namespace Concord.Storage.PostgreSql.Tests.Contracts;

/// <summary>The engine's PostgreSQL stores on a schema of their own; <see cref="EngineStateFixture.Reopen"/> opens another data source and database handle on it.</summary>
internal sealed class PostgreSqlEngineStateFixture(TimeProvider? timeProvider = null) : EngineStateFixture(timeProvider)
{
    private readonly TestSchema _schema = new();

    protected override EngineStateHandle Open()
    {
        var database = _schema.Open(Clock);
        return new EngineStateHandle(
            new PostgreSqlIdentityMap(database),
            new PostgreSqlCursorStore(database),
            new PostgreSqlDeadLetterStore(database),
            new PostgreSqlOutbox(database, Clock),
            new PostgreSqlAuditLog(database),
            new PostgreSqlWriteLedger(database, Clock),
            new PostgreSqlStateCommitter(database, Clock));
    }

    protected override void Dispose(bool disposing)
    {
        _schema.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The idempotency store contract, kept by the PostgreSQL store (each store on a new schema).</summary>
public sealed class PostgreSqlIdempotencyStoreContractTests : IdempotencyStoreContractTests, IDisposable
{
    private readonly List<TestSchema> _schemas = [];

    public void Dispose() => _schemas.ForEach(s => s.Dispose());

    protected override IIdempotencyStore CreateStore(TimeProvider timeProvider)
    {
        var schema = new TestSchema();
        _schemas.Add(schema);
        return new PostgreSqlIdempotencyStore(schema.Open(timeProvider), timeProvider);
    }
}

/// <summary>The write ledger contract, kept by the PostgreSQL ledger.</summary>
public sealed class PostgreSqlWriteLedgerContractTests : WriteLedgerContractTests, IDisposable
{
    private readonly List<TestSchema> _schemas = [];

    public void Dispose() => _schemas.ForEach(s => s.Dispose());

    protected override IWriteLedger CreateLedger(TimeProvider timeProvider)
    {
        var schema = new TestSchema();
        _schemas.Add(schema);
        return new PostgreSqlWriteLedger(schema.Open(timeProvider), timeProvider);
    }
}

/// <summary>The identity map contract, kept by the PostgreSQL store.</summary>
public sealed class PostgreSqlIdentityMapContractTests : IdentityMapContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new PostgreSqlEngineStateFixture(clock);
}

/// <summary>The outbox contract, kept by the PostgreSQL store.</summary>
public sealed class PostgreSqlOutboxContractTests : OutboxContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new PostgreSqlEngineStateFixture(clock);
}

/// <summary>The cursor and dead-letter contract, kept by the PostgreSQL stores.</summary>
public sealed class PostgreSqlCursorAndDeadLetterContractTests : CursorAndDeadLetterContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new PostgreSqlEngineStateFixture(clock);
}

/// <summary>The audit and state-commit contract, kept by the PostgreSQL stores.</summary>
public sealed class PostgreSqlAuditAndCommitContractTests : AuditAndCommitContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new PostgreSqlEngineStateFixture(clock);
}

/// <summary>The webhook inbox contract, kept by the PostgreSQL store; <see cref="Reopen"/> opens another data source on the same schema.</summary>
public sealed class PostgreSqlWebhookInboxContractTests : WebhookInboxContractTests, IDisposable
{
    private readonly TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    protected override Sync.Inbox.IWebhookInbox CreateInbox() => new Inbox.PostgreSqlWebhookInbox(_schema.Open(Clock, [new Inbox.PostgreSqlWebhookInboxSchema()]), Clock);

    protected override Sync.Inbox.IWebhookInbox Reopen(Sync.Inbox.IWebhookInbox inbox) => CreateInbox();
}

/// <summary>Retention of the PostgreSQL inbox: <see cref="Concord.Storage.PostgreSql.Retention.PostgreSqlStatePurger"/> on the same schema.</summary>
public sealed class PostgreSqlWebhookInboxRetentionContractTests : WebhookInboxRetentionContractTests, IDisposable
{
    private readonly TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    protected override (Sync.Inbox.IWebhookInbox Inbox, Sync.Retention.IStatePurger Purger) CreateStore()
    {
        var database = _schema.Open(Clock, [new Inbox.PostgreSqlWebhookInboxSchema()]);
        return (new Inbox.PostgreSqlWebhookInbox(database, Clock), new Concord.Storage.PostgreSql.Retention.PostgreSqlStatePurger(database));
    }
}
