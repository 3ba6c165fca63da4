using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Outbox.Internal;

/// <summary>The outbox's default registrations, added by <c>AddSync</c>.</summary>
internal static class OutboxServices
{
    public static void TryAdd(IServiceCollection services)
    {
        services.AddOptions<OutboxDispatcherOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxDispatcherOptions>, OutboxDispatcherOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxDispatcherOptions>, OutboxDispatcherOptionsTimeValidator>());
        services.TryAddSingleton<IOutboxDispatcher, OutboxDispatcher>(); // no default publisher: without one, events stay pending
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxPublisherCheck>());
    }
}
