using System.ComponentModel.DataAnnotations;
using Concord.Canonical.Errors;

namespace Concord.Canonical.Resilience;

/// <summary>
/// How a connector's <see cref="HttpClient"/> survives a vendor: timeouts, retries, a circuit breaker and a
/// client-side rate limiter. Bind it from configuration (<c>Concord:Odoo:eu:Resilience</c>) and size it to the
/// vendor's published limits; every default below is safe for an interactive sync.
/// </summary>
/// <remarks>
/// The pipeline, outermost first: total timeout, retry, circuit breaker, rate limiter, attempt timeout.
/// Every attempt (including retries) takes a permit from the limiter, so the vendor never sees more than
/// <see cref="PermitLimit"/> requests in any <see cref="Window"/>.
/// </remarks>
public sealed class ConnectorResilienceOptions
{
    /// <summary>Gets or sets the time a whole call may take, every attempt, retry delay and limiter wait included.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the time one attempt may take; it must be below <see cref="TotalRequestTimeout"/>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a failed attempt is retried; 0 turns retries off.</summary>
    /// <value>The default value is 3.</value>
    [Range(0, 100)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first backoff delay; later delays grow exponentially.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest backoff delay, and the longest server-requested delay (<c>Retry-After</c> or
    /// <see cref="RetryDelayFromResponse"/>) the pipeline waits for by itself. A longer server delay is not waited
    /// for: the call fails at once (429 becomes <see cref="ErrorCategory.RateLimited"/> with
    /// <see cref="ConcordException.RetryAfter"/>), so the caller can reschedule.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether backoff delays are randomised (decorrelated jitter), so many clients do not retry in step.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit, in (0, 1].</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts must be seen within <see cref="SamplingDuration"/> before the circuit may open (at least 2).</summary>
    /// <value>The default value is 20.</value>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>Gets or sets the window over which the failure ratio is measured (at least 0.5 s).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit fails calls fast before it lets one trial call through (at least 0.5 s).</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how many requests may start in any <see cref="Window"/>-long span.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 10;

    /// <summary>Gets or sets the span <see cref="PermitLimit"/> applies to.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how many requests may wait for a permit; one more fails at once as
    /// <see cref="ErrorCategory.RateLimited"/>. Waiting counts toward <see cref="TotalRequestTimeout"/>.
    /// </summary>
    /// <value>The default value is 100.</value>
    [Range(0, int.MaxValue)]
    public int QueueLimit { get; set; } = 100;

    /// <summary>
    /// Gets or sets whether the rate limiter draws its permits from a budget every instance of the host shares (the
    /// registered <see cref="IRateBudgetStore"/>: in-memory by default, the database with <c>UsePostgreSql</c>), so that
    /// N instances together start at most <see cref="PermitLimit"/> requests in any <see cref="Window"/>. Turn it on when
    /// more than one process calls the same vendor account; <see cref="PermitLimit"/> is then the whole account's limit.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: each client has its own limiter in memory.</value>
    public bool SharedRateBudget { get; set; }

    /// <summary>
    /// Gets or sets the name of the shared budget: clients with the same name share one budget. Give every registration
    /// that calls one vendor account (one org, portal, database or subdomain) the same name.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the connector's registration name (<c>hubspot</c>, <c>odoo:eu</c>).</value>
    public string? RateBudgetKey { get; set; }

    /// <summary>
    /// Gets or sets how many permits one call to the shared store takes at most; the spare ones serve this instance's
    /// next requests within the same tenth of the <see cref="Window"/> and are lost after it. Larger batches mean fewer
    /// store calls and a less even share between instances. At most <see cref="PermitLimit"/>.
    /// </summary>
    /// <value>The default value is 1.</value>
    [Range(1, int.MaxValue)]
    public int RateBudgetBatchSize { get; set; } = 1;

    /// <summary>
    /// Gets or sets the vendor's own rate-limit header reader: returns how long to wait before the next attempt, or
    /// <see langword="null"/> when the response says nothing. Consulted for retried responses without a
    /// <c>Retry-After</c> header (which the pipeline reads itself, in both its seconds and HTTP-date forms).
    /// Not bindable from configuration.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<HttpResponseMessage, TimeSpan?>? RetryDelayFromResponse { get; set; }

    internal void CopyTo(ConnectorResilienceOptions target)
    {
        target.TotalRequestTimeout = TotalRequestTimeout;
        target.AttemptTimeout = AttemptTimeout;
        target.MaxRetryAttempts = MaxRetryAttempts;
        target.BaseDelay = BaseDelay;
        target.MaxDelay = MaxDelay;
        target.UseJitter = UseJitter;
        target.FailureRatio = FailureRatio;
        target.MinimumThroughput = MinimumThroughput;
        target.SamplingDuration = SamplingDuration;
        target.BreakDuration = BreakDuration;
        target.PermitLimit = PermitLimit;
        target.Window = Window;
        target.QueueLimit = QueueLimit;
        target.SharedRateBudget = SharedRateBudget;
        target.RateBudgetKey = RateBudgetKey;
        target.RateBudgetBatchSize = RateBudgetBatchSize;
        target.RetryDelayFromResponse = RetryDelayFromResponse;
    }
}
