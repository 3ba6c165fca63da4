using Microsoft.Extensions.DependencyInjection;

namespace Concord.DependencyInjection;

/// <summary>The default (in-memory) services <c>AddConcord</c> registers when nothing else is registered.</summary>
internal static class ConcordCoreServices
{
    public static void TryAdd(IServiceCollection services)
    {
        // Each feature area adds its TryAdd* registrations here (idempotency, identity, cursors, dead letters, outbox, audit).
        _ = services;
    }
}
