using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.DependencyInjection;

/// <summary>The default (in-memory) services <c>AddConcord</c> registers when nothing else is registered.</summary>
internal static class ConcordCoreServices
{
    public static void TryAdd(IServiceCollection services)
    {
        // Each feature area adds its TryAdd* registrations here (idempotency, identity, cursors, dead letters, outbox, audit).
        _ = services;
        services.TryAddSingleton<Concord.Idempotency.IIdempotencyStore, Concord.Idempotency.InMemoryIdempotencyStore>();
        // Engine state (identity, cursors, dead letters, outbox, audit) and the committer that writes it as one unit.
        services.TryAddSingleton<Concord.Identity.IIdentityMap, Concord.Identity.InMemoryIdentityMap>();
        services.TryAddSingleton<Concord.Cursors.ICursorStore, Concord.Cursors.InMemoryCursorStore>();
        services.TryAddSingleton<Concord.DeadLetters.IDeadLetterStore, Concord.DeadLetters.InMemoryDeadLetterStore>();
        services.TryAddSingleton<Concord.Outbox.IOutbox, Concord.Outbox.InMemoryOutbox>();
        services.TryAddSingleton<Concord.Audit.IAuditLog, Concord.Audit.InMemoryAuditLog>();
        services.TryAddSingleton<Concord.Sync.IStateCommitter, Concord.Sync.StoreByStoreStateCommitter>();
        Concord.Outbox.Internal.OutboxServices.TryAdd(services); // IOutboxDispatcher, default IOutboxPublisher (logs), OutboxDispatcherOptions (validated at start)
        services.TryAddSingleton<Concord.Flows.IFlowRunner, Concord.Flows.Internal.FlowRunner>(); // empty until AddFlow declares flows
        Concord.Retention.Internal.RetentionServices.TryAdd(services); // StateRetentionOptions (validated at start) and the hosted purge
        Concord.Canonical.Schema.Internal.SchemaServices.TryAdd(services); // ICustomerSchemaValidator + CustomerSchemaValidatorOptions (validated at start)
    }
}
