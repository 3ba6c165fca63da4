using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Concord.Canonical.Schema.Internal;

/// <summary>The schema validator's registrations, added by <c>AddConcord()</c>.</summary>
internal static class SchemaServices
{
    public static void TryAdd(IServiceCollection services)
    {
        services.AddOptions<CustomerSchemaValidatorOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CustomerSchemaValidatorOptions>, CustomerSchemaValidatorOptionsValidator>());
        services.TryAddSingleton<ICustomerSchemaValidator>(static provider =>
            new JsonSchemaNetCustomerValidator(provider.GetRequiredService<IOptions<CustomerSchemaValidatorOptions>>().Value));
    }
}
