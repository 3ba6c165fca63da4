using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Retention.Internal;

/// <summary>The retention options (validated at start) and the hosted purge, added by <c>AddSync</c>; it purges only when a durable store registers an <see cref="IStatePurger"/>.</summary>
internal static class RetentionServices
{
    public static void TryAdd(IServiceCollection services)
    {
        services.AddOptions<StateRetentionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateRetentionOptions>, StateRetentionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StateRetentionService>());
    }
}
