using Concord.Canonical.DependencyInjection;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Flows.Internal;
using Concord.Sync.Idempotency;
using Concord.Sync.Identity;
using Concord.Sync.Inbox;
using Concord.Sync.Outbox;
using Concord.Sync.Outbox.Internal;
using Concord.Sync.Retention.Internal;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Concord sync engine to a host.</summary>
public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sync engine's services: the flow runner, the outbox dispatcher, retention, and in-memory state
    /// (idempotency, identity map, write ledger, cursors, dead letters, outbox, audit) unless a durable store such as
    /// <c>UseSqlite</c> registered its own, and the <c>concord</c> health check (degraded while a flow is paused for a
    /// target; map it with <c>MapHealthChecks</c>). <c>AddFlow</c> and every storage package call it, so a host rarely
    /// needs to; it is safe to call more than once.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddSync(this IConcordBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
        services.TryAddSingleton<IIdentityMap, InMemoryIdentityMap>();
        services.TryAddSingleton<ICursorStore, InMemoryCursorStore>();
        services.TryAddSingleton<IDeadLetterStore, InMemoryDeadLetterStore>();
        services.TryAddSingleton<IOutbox, InMemoryOutbox>();
        services.TryAddSingleton<IAuditLog, InMemoryAuditLog>();
        services.TryAddSingleton<IWebhookInbox, InMemoryWebhookInbox>(); // verified webhook events (Concord.AspNetCore), unique per sender and key
        services.TryAddSingleton<IWriteLedger, InMemoryWriteLedger>(); // per-link leases, write intents, versions written
        services.TryAddSingleton<IFeedLeaseStore, InMemoryFeedLeaseStore>(); // one reader per change feed across instances (fencing token)
        services.TryAddSingleton<IStateCommitter, StoreByStoreStateCommitter>(); // writes a page's state as one unit
        OutboxServices.TryAdd(services);    // IOutboxDispatcher, default IOutboxPublisher, OutboxDispatcherOptions (validated at start)
        services.TryAddSingleton<IFlowRunner, FlowRunner>(); // empty until AddFlow declares flows
        RetentionServices.TryAdd(services); // StateRetentionOptions (validated at start) and the hosted purge
        services.TryAddSingleton<SyncMonitor>(); // paused targets, cursor lag and pending events: gauges and the health check
        if (!services.Any(d => d.ServiceType == typeof(SyncHealthCheck)))
        {
            services.AddSingleton<SyncHealthCheck>();
            services.AddHealthChecks().AddCheck<SyncHealthCheck>(SyncHealthCheck.Name, HealthStatus.Degraded, ["concord"]);
        }

        return builder;
    }
}
