using Concord.Storage.Sqlite.Inbox;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Concord.Sync.Inbox;

namespace Concord.Storage.Sqlite.Tests.Engine;

/// <summary>The webhook inbox contract, kept by the SQLite store; <see cref="Reopen"/> opens another database handle on the same file.</summary>
public sealed class SqliteWebhookInboxContractTests : WebhookInboxContractTests, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IWebhookInbox CreateInbox() => new SqliteWebhookInbox(_folder.Open(Clock, schemas: [new SqliteWebhookInboxSchema()]), Clock);

    protected override IWebhookInbox Reopen(IWebhookInbox inbox) => CreateInbox();
}

/// <summary>Retention of the SQLite inbox: <see cref="Concord.Storage.Sqlite.Retention.SqliteStatePurger"/> on the same file.</summary>
public sealed class SqliteWebhookInboxRetentionContractTests : WebhookInboxRetentionContractTests, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override (IWebhookInbox Inbox, Sync.Retention.IStatePurger Purger) CreateStore()
    {
        var database = _folder.Open(Clock, schemas: [new SqliteWebhookInboxSchema()]);
        return (new SqliteWebhookInbox(database, Clock), new Concord.Storage.Sqlite.Retention.SqliteStatePurger(database));
    }
}
