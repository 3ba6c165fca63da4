using Microsoft.Extensions.Options;

namespace Concord.Sync.Outbox.Internal;

/// <summary>Checks the attribute rules of <see cref="OutboxDispatcherOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class OutboxDispatcherOptionsValidator : IValidateOptions<OutboxDispatcherOptions>;

/// <summary>Checks the time spans of <see cref="OutboxDispatcherOptions"/>.</summary>
internal sealed class OutboxDispatcherOptionsTimeValidator : IValidateOptions<OutboxDispatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxDispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Lease < TimeSpan.FromSeconds(1))
        {
            failures.Add($"OutboxDispatcherOptions.Lease must be at least one second (was {options.Lease}).");
        }

        if (options.DispatchInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"OutboxDispatcherOptions.DispatchInterval must be at least 100 ms (was {options.DispatchInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
