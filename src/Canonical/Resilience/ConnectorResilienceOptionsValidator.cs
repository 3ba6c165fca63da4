using Microsoft.Extensions.Options;

namespace Concord.Canonical.Resilience;

/// <summary>
/// Validates <see cref="ConnectorResilienceOptions"/>, single-field and cross-field rules alike; every failure starts
/// with the configuration path of the option (<c>Concord:Odoo:eu:Resilience:AttemptTimeout</c>) and says what is allowed.
/// The shared connector options validation runs it on <c>ConnectorOptions.Resilience</c>.
/// </summary>
internal sealed class ConnectorResilienceOptionsValidator : IValidateOptions<ConnectorResilienceOptions>
{
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumTimeSpan = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumBreakerTime = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinimumSharedWindow = TimeSpan.FromMilliseconds(100);

    private readonly string _path;

    /// <summary>Creates a validator whose messages name options as <c>ConnectorResilienceOptions:X</c>.</summary>
    public ConnectorResilienceOptionsValidator()
        : this(nameof(ConnectorResilienceOptions))
    {
    }

    /// <summary>Creates a validator whose messages name options as <c><paramref name="path"/>:X</c>.</summary>
    /// <param name="path">Where the options sit, as the user configures them (<c>Concord:Odoo:eu:Resilience</c>).</param>
    public ConnectorResilienceOptionsValidator(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConnectorResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        Between(failures, nameof(options.TotalRequestTimeout), options.TotalRequestTimeout, MinimumTimeout, MaximumTimeSpan);
        Between(failures, nameof(options.AttemptTimeout), options.AttemptTimeout, MinimumTimeout, MaximumTimeSpan);
        if (options.AttemptTimeout >= options.TotalRequestTimeout)
        {
            failures.Add($"{_path}:{nameof(options.AttemptTimeout)} ({options.AttemptTimeout}) must be below {_path}:{nameof(options.TotalRequestTimeout)} ({options.TotalRequestTimeout}).");
        }

        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            failures.Add($"{_path}:{nameof(options.MaxRetryAttempts)} ({options.MaxRetryAttempts}) must be between 0 and 100.");
        }

        Between(failures, nameof(options.BaseDelay), options.BaseDelay, TimeSpan.Zero, MaximumTimeSpan);
        Between(failures, nameof(options.MaxDelay), options.MaxDelay, TimeSpan.Zero, MaximumTimeSpan);
        if (options.MaxDelay < options.BaseDelay)
        {
            failures.Add($"{_path}:{nameof(options.MaxDelay)} ({options.MaxDelay}) must not be below {_path}:{nameof(options.BaseDelay)} ({options.BaseDelay}).");
        }

        if (!(options.FailureRatio > 0 && options.FailureRatio <= 1))
        {
            failures.Add($"{_path}:{nameof(options.FailureRatio)} ({options.FailureRatio}) must be above 0 and at most 1.");
        }

        if (options.MinimumThroughput < 2)
        {
            failures.Add($"{_path}:{nameof(options.MinimumThroughput)} ({options.MinimumThroughput}) must be at least 2.");
        }

        Between(failures, nameof(options.SamplingDuration), options.SamplingDuration, MinimumBreakerTime, MaximumTimeSpan);
        Between(failures, nameof(options.BreakDuration), options.BreakDuration, MinimumBreakerTime, MaximumTimeSpan);

        if (options.PermitLimit < 1)
        {
            failures.Add($"{_path}:{nameof(options.PermitLimit)} ({options.PermitLimit}) must be at least 1.");
        }

        Between(failures, nameof(options.Window), options.Window, TimeSpan.FromMilliseconds(1), MaximumTimeSpan);
        if (options.QueueLimit < 0)
        {
            failures.Add($"{_path}:{nameof(options.QueueLimit)} ({options.QueueLimit}) must not be negative.");
        }

        if (options.RateBudgetBatchSize < 1 || options.RateBudgetBatchSize > Math.Max(1, options.PermitLimit))
        {
            failures.Add($"{_path}:{nameof(options.RateBudgetBatchSize)} ({options.RateBudgetBatchSize}) must be between 1 and {_path}:{nameof(options.PermitLimit)} ({options.PermitLimit}).");
        }

        if (options.RateBudgetKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > 200))
        {
            failures.Add($"{_path}:{nameof(options.RateBudgetKey)} ('{key}') must be a non-blank name of at most 200 characters, or unset to use the connector's name.");
        }

        if (options.SharedRateBudget && options.Window < MinimumSharedWindow)
        {
            failures.Add($"{_path}:{nameof(options.Window)} ({options.Window}) must be at least {MinimumSharedWindow} when {_path}:{nameof(options.SharedRateBudget)} is on: the shared budget is counted in tenths of the window, each a store round trip.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Between(List<string> failures, string option, TimeSpan value, TimeSpan minimum, TimeSpan maximum)
    {
        if (value < minimum || value > maximum)
        {
            failures.Add($"{_path}:{option} ({value}) must be between {minimum} and {maximum}.");
        }
    }
}
