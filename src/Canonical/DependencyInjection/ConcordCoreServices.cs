using Concord.Canonical.Schema.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Canonical.DependencyInjection;

/// <summary>The services <c>AddConcord</c> registers for every host: what connectors build on. The engine adds its own (Concord.Sync).</summary>
internal static class ConcordCoreServices
{
    public static void TryAdd(IServiceCollection services)
    {
        SchemaServices.TryAdd(services); // ICustomerSchemaValidator + CustomerSchemaValidatorOptions (validated at start)
    }
}
