using System.Diagnostics.CodeAnalysis;
using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.FeedLeases;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Inbox;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Outbox;
using Concord.Storage.Sqlite.Writes;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Inbox;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.Sqlite.State;

/// <summary>
/// Registers the SQLite stores of the sync engine's state (identity map, write ledger, cursors, dead letters, outbox, audit, webhook inbox) and the
/// committer that writes them in one transaction, in place of the in-memory ones, with their schemas.
/// </summary>
internal static class SqliteEngineStateServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteIdentitySchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteCursorSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteDeadLetterSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteOutboxSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteAuditSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteWriteLedgerSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteWebhookInboxSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteFeedLeaseSchema>());

        Replace<IIdentityMap, SqliteIdentityMap>(services);
        Replace<ICursorStore, SqliteCursorStore>(services);
        Replace<IDeadLetterStore, SqliteDeadLetterStore>(services);
        Replace<IOutbox, SqliteOutbox>(services);
        Replace<IAuditLog, SqliteAuditLog>(services);
        Replace<IWriteLedger, SqliteWriteLedger>(services);
        Replace<IWebhookInbox, SqliteWebhookInbox>(services);
        Replace<IFeedLeaseStore, SqliteFeedLeaseStore>(services);
        Replace<IStateCommitter, SqliteStateCommitter>(services);
    }

    /// <summary>Every schema this part contributes, for tests and tools that open a database without DI.</summary>
    public static ISqliteSchema[] Schemas() =>
        [new SqliteIdentitySchema(), new SqliteCursorSchema(), new SqliteDeadLetterSchema(), new SqliteOutboxSchema(), new SqliteAuditSchema(), new SqliteWriteLedgerSchema(), new SqliteWebhookInboxSchema(), new SqliteFeedLeaseSchema()];

    private static void Replace<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService, TImplementation>();
    }
}
