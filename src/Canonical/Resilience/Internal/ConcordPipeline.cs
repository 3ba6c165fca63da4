using System.Net;
using System.Threading.RateLimiting;
using Concord.Canonical.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// Builds the pipeline, outermost first: total timeout, retry, circuit breaker, rate limiter, attempt timeout.
/// The limiter sits inside the retry so every attempt takes a permit, and outside the attempt timeout so waiting
/// for a permit does not eat into an attempt. With <see cref="ConnectorResilienceOptions.SharedRateBudget"/> the permits
/// come from the shared <see cref="IRateBudgetStore"/> (<see cref="SharedBudgetRateLimiter"/>), otherwise from a
/// limiter of this client's own.
/// </summary>
internal static class ConcordPipeline
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        ConnectorResilienceOptions options,
        string system,
        TimeProvider timeProvider,
        ILogger logger,
        Action<Action> onDisposed,
        TelemetryOptions? telemetry = null,
        IRateBudgetStore? budgetStore = null)
    {
        var systemTag = new KeyValuePair<string, object?>(ConcordTelemetry.SystemTag, system);
        pipeline.TimeProvider = timeProvider;
        if (telemetry is not null)
        {
            pipeline.ConfigureTelemetry(QuietAttempts(telemetry));
        }

        pipeline.AddTimeout(options.TotalRequestTimeout);

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter.Read(args.Outcome.Result, timeProvider, options.RetryDelayFromResponse)),
                OnRetry = args =>
                {
                    ConcordMetrics.Retries.Add(1, systemTag);
                    if (args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        ConcordMetrics.Throttles.Add(1, systemTag);
                    }

                    var request = args.Context.GetRequestMessage();
                    Log.Retrying(
                        logger,
                        system,
                        request?.Method.Method ?? "?",
                        (request is null ? null : ConcordHttpRequest.GetOperation(request)) ?? "request",
                        args.AttemptNumber + 1,
                        args.RetryDelay,
                        Describe(args.Outcome));
                    return default;
                },
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, system, args.BreakDuration, Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(logger, system);
                return default;
            },
        });

        Func<CancellationToken, ValueTask<RateLimitLease>> acquire;
        if (options.SharedRateBudget)
        {
            ArgumentNullException.ThrowIfNull(budgetStore);
            var shared = new SharedBudgetRateLimiter(
                budgetStore, options.RateBudgetKey ?? system, options.PermitLimit, options.Window, options.QueueLimit, options.RateBudgetBatchSize, options.AttemptTimeout, timeProvider);
            onDisposed(shared.Dispose);
            acquire = token => shared.AcquireAsync(1, token);
        }
        else
        {
            var local = new SlidingWindowLogLimiter(options.PermitLimit, options.Window, options.QueueLimit, timeProvider);
            onDisposed(local.Dispose);
            acquire = local.AcquireAsync;
        }

        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => acquire(args.Context.CancellationToken),
            OnRejected = _ =>
            {
                ConcordMetrics.Throttles.Add(1, systemTag);
                Log.LimiterRejected(logger, system);
                return default;
            },
        });

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>
    /// Retry transport failures, attempt timeouts, 408, 429 and 5xx (but 501 and 505, which will not change), for
    /// requests that may be sent again, unless the server asked for a longer wait than <see cref="ConnectorResilienceOptions.MaxDelay"/>.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ConnectorResilienceOptions options, TimeProvider timeProvider)
    {
        var request = context.GetRequestMessage() ?? outcome.Result?.RequestMessage;
        if (request is null || !request.IsRetryable())
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result;
        if (response is null || !IsTransientStatus(response.StatusCode))
        {
            return false;
        }

        var serverDelay = RetryAfter.Read(response, timeProvider, options.RetryDelayFromResponse);
        return serverDelay is null || serverDelay <= options.MaxDelay;
    }

    /// <summary>
    /// The host's Polly telemetry (its logger factory, enrichers and listeners) with the per-request events lowered to
    /// Debug: Polly reports every execution ("Resilience pipeline executed", Information), every attempt ("Execution
    /// attempt", Information; Warning when it is retried) and every retry, which for a connector is two or more lines per
    /// vendor request. A request that succeeds, or a retry that heals, is not news; what is news (an open circuit, a
    /// refused permit, a timeout) keeps its severity. Failures reach the logs through the connector and the engine,
    /// which report them as <c>ConcordException</c>s, and Concord logs each retry itself at Debug.
    /// </summary>
    internal static TelemetryOptions QuietAttempts(TelemetryOptions host)
    {
        var inner = host.SeverityProvider;
        return new TelemetryOptions(host)
        {
            SeverityProvider = args =>
            {
                if (args.Event.EventName is "PipelineExecuting" or "PipelineExecuted" or "ExecutionAttempt" or "OnRetry")
                {
                    return ResilienceEventSeverity.Debug;
                }

                return inner?.Invoke(args) ?? args.Event.Severity;
            },
        };
    }

    internal static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || (outcome.Result is { } response && response.StatusCode != HttpStatusCode.TooManyRequests && IsTransientStatus(response.StatusCode));

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not HttpStatusCode.NotImplemented and not HttpStatusCode.HttpVersionNotSupported);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? exception.GetType().Name : $"HTTP {(int?)outcome.Result?.StatusCode}";
}
