using Microsoft.Extensions.Options;

namespace Concord.Sync.Retention.Internal;

/// <summary>Every retention period and the purge interval, when set, must be positive; completed webhook events are kept at least 24 hours.</summary>
internal sealed class StateRetentionOptionsValidator : IValidateOptions<StateRetentionOptions>
{
    /// <summary>The shortest <see cref="StateRetentionOptions.CompletedWebhookEvents"/>: the longest a sender retries (HubSpot, 24 hours).</summary>
    internal static readonly TimeSpan MinimumWebhookRetention = TimeSpan.FromHours(24);

    public ValidateOptionsResult Validate(string? name, StateRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(nameof(StateRetentionOptions.DeliveredEvents), options.DeliveredEvents, failures);
        Check(nameof(StateRetentionOptions.FinishedIdempotencyKeys), options.FinishedIdempotencyKeys, failures);
        Check(nameof(StateRetentionOptions.ResolvedDeadLetters), options.ResolvedDeadLetters, failures);
        Check(nameof(StateRetentionOptions.AuditEntries), options.AuditEntries, failures);
        Check(nameof(StateRetentionOptions.PurgeInterval), options.PurgeInterval, failures);
        if (options.CompletedWebhookEvents is { } webhooks && webhooks < MinimumWebhookRetention)
        {
            failures.Add($"{nameof(StateRetentionOptions)}.{nameof(StateRetentionOptions.CompletedWebhookEvents)} must be at least {MinimumWebhookRetention} (HubSpot retries a delivery for up to 24 hours; a retry after its key was purged is taken as a new event), or null to keep them (was {webhooks}).");
        }
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
