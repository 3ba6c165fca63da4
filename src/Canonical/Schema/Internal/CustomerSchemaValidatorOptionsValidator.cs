using Concord.Canonical.Errors;
using Microsoft.Extensions.Options;

namespace Concord.Canonical.Schema.Internal;

/// <summary>Checks <see cref="CustomerSchemaValidatorOptions"/> at start; messages name the option.</summary>
internal sealed class CustomerSchemaValidatorOptionsValidator : IValidateOptions<CustomerSchemaValidatorOptions>
{
    public const int MinDocumentBytes = 1024;
    public const int MaxDocumentBytes = 256 * 1024 * 1024;
    public const int MinDepth = 8;
    public const int MaxDepth = 64;

    public static void ThrowIfInvalid(CustomerSchemaValidatorOptions options)
    {
        var result = new CustomerSchemaValidatorOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ConcordException(ErrorCategory.Configuration, result.FailureMessage);
        }
    }

    public ValidateOptionsResult Validate(string? name, CustomerSchemaValidatorOptions options)
    {
        List<string>? failures = null;
        if (options.MaxDocumentBytes is < MinDocumentBytes or > MaxDocumentBytes)
        {
            (failures ??= []).Add($"CustomerSchemaValidatorOptions.MaxDocumentBytes must be between {MinDocumentBytes} and {MaxDocumentBytes}; it is {options.MaxDocumentBytes}.");
        }

        if (options.MaxDepth is < MinDepth or > MaxDepth)
        {
            (failures ??= []).Add($"CustomerSchemaValidatorOptions.MaxDepth must be between {MinDepth} and {MaxDepth}; it is {options.MaxDepth}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
