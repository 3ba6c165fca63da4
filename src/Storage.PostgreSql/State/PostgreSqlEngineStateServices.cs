using System.Diagnostics.CodeAnalysis;
using Concord.Storage.PostgreSql.Audit;
using Concord.Storage.PostgreSql.Cursors;
using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.FeedLeases;
using Concord.Storage.PostgreSql.Identity;
using Concord.Storage.PostgreSql.Inbox;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.Outbox;
using Concord.Storage.PostgreSql.Writes;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Inbox;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.PostgreSql.State;

/// <summary>
/// Registers the PostgreSQL stores of the sync engine's state (identity map, write ledger, cursors, dead letters, outbox,
/// audit, webhook inbox) and the committer that writes them in one transaction, in place of the in-memory ones, with their schemas.
/// </summary>
internal static class PostgreSqlEngineStateServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlIdentitySchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlCursorSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlDeadLetterSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlOutboxSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlAuditSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlWriteLedgerSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlFeedLeaseSchema>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlWebhookInboxSchema>());

        Replace<IIdentityMap, PostgreSqlIdentityMap>(services);
        Replace<ICursorStore, PostgreSqlCursorStore>(services);
        Replace<IDeadLetterStore, PostgreSqlDeadLetterStore>(services);
        Replace<IOutbox, PostgreSqlOutbox>(services);
        Replace<IAuditLog, PostgreSqlAuditLog>(services);
        Replace<IWriteLedger, PostgreSqlWriteLedger>(services);
        Replace<IFeedLeaseStore, PostgreSqlFeedLeaseStore>(services);
        Replace<IStateCommitter, PostgreSqlStateCommitter>(services);
        Replace<IWebhookInbox, PostgreSqlWebhookInbox>(services); // verified webhook events (Concord.AspNetCore)
    }

    /// <summary>Every schema this part contributes, for tests and tools that open a database without DI.</summary>
    public static IPostgreSqlSchema[] Schemas() =>
        [new PostgreSqlIdentitySchema(), new PostgreSqlCursorSchema(), new PostgreSqlDeadLetterSchema(), new PostgreSqlOutboxSchema(), new PostgreSqlAuditSchema(), new PostgreSqlWriteLedgerSchema(), new PostgreSqlFeedLeaseSchema(), new PostgreSqlWebhookInboxSchema()];

    private static void Replace<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService, TImplementation>();
    }
}
