using Microsoft.Extensions.Options;

namespace Concord.Sync.Retention.Internal;

/// <summary>Every retention period and the purge interval, when set, must be positive.</summary>
internal sealed class StateRetentionOptionsValidator : IValidateOptions<StateRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, StateRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(nameof(StateRetentionOptions.DeliveredEvents), options.DeliveredEvents, failures);
        Check(nameof(StateRetentionOptions.FinishedIdempotencyKeys), options.FinishedIdempotencyKeys, failures);
        Check(nameof(StateRetentionOptions.ResolvedDeadLetters), options.ResolvedDeadLetters, failures);
        Check(nameof(StateRetentionOptions.AuditEntries), options.AuditEntries, failures);
        Check(nameof(StateRetentionOptions.PurgeInterval), options.PurgeInterval, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string option, TimeSpan? value, List<string> failures)
    {
        if (value is { } period && period <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(StateRetentionOptions)}.{option} must be positive, or null to keep that state (was {period}).");
        }
    }
}
