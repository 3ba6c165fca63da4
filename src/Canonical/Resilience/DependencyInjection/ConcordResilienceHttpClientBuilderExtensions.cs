using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Canonical.Resilience.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Concord's resilience pipeline to a connector's <see cref="HttpClient"/>.</summary>
public static class ConcordResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds, to the named client <paramref name="builder"/> configures, a handler that turns transport and pipeline
    /// failures into <see cref="ConcordException"/> and, inside it, the resilience pipeline: total timeout, retries
    /// (exponential backoff with jitter, <c>Retry-After</c> and the vendor hook honoured; POST, PATCH and PUT only when
    /// marked with <see cref="ConcordHttpRequest.MarkIdempotent"/>), circuit breaker, client-side rate limiter and
    /// attempt timeout. Sets <see cref="HttpClient.Timeout"/> to infinite so the pipeline alone owns time, which it
    /// reads from the container's <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The connector's named client: <c>services.AddHttpClient(registration.HttpClientName)</c> or a Refit client.</param>
    /// <param name="connectorName">The system name errors and metrics carry (<c>odoo</c>, <c>salesforce</c>).</param>
    /// <param name="options">
    /// Builds the options from the provider (typically <c>sp =&gt; sp.GetRequiredService&lt;IOptionsMonitor&lt;OdooConnectorOptions&gt;&gt;().Get(name).Resilience</c>).
    /// Called once per client name; the result is validated at start (every rule of <see cref="ConnectorResilienceOptions"/>).
    /// </param>
    /// <returns>The same builder, to chain further handlers (which run inside the pipeline, once per attempt).</returns>
    /// <exception cref="InvalidOperationException">The client already has Concord's pipeline.</exception>
    /// <remarks>
    /// The factory's default request loggers are removed from the client: they would put raw credential headers into
    /// structured log state. Polly's per-attempt telemetry (an "Execution attempt" line per request, a line per retry)
    /// is lowered to Debug for this pipeline; circuit, limiter and timeout events keep their severity.
    /// Each answer's body is read inside the attempt, so a connection that drops mid-body is retried and translated like
    /// any transport failure: a connector never meets a raw <see cref="HttpRequestException"/>, whatever
    /// <see cref="HttpCompletionOption"/> it sends with. Each request's body is serialised once, before the first attempt,
    /// and sent with a <c>Content-Length</c>, never chunked (a proxy that reads only <c>Content-Length</c> would hold a
    /// chunked call until the vendor's time limit); retries send the same bytes.
    /// Responses the connector must classify (4xx and, once retries are spent, 5xx) are returned as they are; a 429
    /// that is not retried becomes <see cref="ErrorCategory.RateLimited"/> with <see cref="ConcordException.RetryAfter"/>.
    /// Metrics on the <c>Concord</c> meter, tagged with <paramref name="connectorName"/>: <c>concord.vendor.requests</c>
    /// and <c>concord.vendor.request.duration</c> per attempt, <c>concord.vendor.retries</c>, and
    /// <c>concord.vendor.throttles</c> (429 answers and limiter rejections).
    /// </remarks>
    public static IHttpClientBuilder AddConcordResilience(
        this IHttpClientBuilder builder,
        string connectorName,
        Func<IServiceProvider, ConnectorResilienceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(options);

        var clientName = builder.Name;
        foreach (var descriptor in builder.Services)
        {
            if (descriptor.ServiceType == typeof(ResilientClientMarker)
                && descriptor.ImplementationInstance is ResilientClientMarker marker
                && string.Equals(marker.ClientName, clientName, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"AddConcordResilience was already called for the HttpClient '{clientName}'; one pipeline per client.");
            }
        }

        builder.Services.AddSingleton(new ResilientClientMarker(clientName));
        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.TryAddSingleton<IRateBudgetStore, InMemoryRateBudgetStore>();
        builder.Services.AddOptions<ConnectorResilienceOptions>(clientName)
            .Configure<IServiceProvider>((target, provider) => options(provider).CopyTo(target))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConnectorResilienceOptions>>(new NamedOptionsValidator(clientName));

        builder.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

        // Connector clients carry credentials (bearer tokens, API keys). IHttpClientFactory's default loggers redact
        // header values in the message text but keep them raw in the structured state, where any sink can read them:
        // remove them. Concord reports vendor calls through its own metrics and source-generated logs.
        builder.RemoveAllLoggers();
        builder.AddHttpMessageHandler(static () => new RequestBufferingHandler());
        builder.AddHttpMessageHandler(provider => new TransportFailureHandler(
            connectorName,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptionsMonitor<ConnectorResilienceOptions>>().Get(clientName).RetryDelayFromResponse));
        builder.AddResilienceHandler("concord", (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            ConcordPipeline.Configure(
                pipeline,
                provider.GetRequiredService<IOptionsMonitor<ConnectorResilienceOptions>>().Get(clientName),
                connectorName,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetService<ILoggerFactory>()?.CreateLogger("Concord.Resilience") ?? NullLogger.Instance,
                context.OnPipelineDisposed,
                provider.GetService<IOptions<Polly.Telemetry.TelemetryOptions>>()?.Value,
                provider.GetService<IRateBudgetStore>());
        });
        builder.AddHttpMessageHandler(provider => new AttemptMetricsHandler(connectorName, provider.GetRequiredService<TimeProvider>()));
        builder.AddHttpMessageHandler(static () => new ResponseBufferingHandler());
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(TimeProvider) && !descriptor.IsKeyedService)
            {
                return;
            }
        }

        services.AddSingleton(TimeProvider.System);
    }

    private sealed record ResilientClientMarker(string ClientName);

    private sealed class NamedOptionsValidator(string name) : IValidateOptions<ConnectorResilienceOptions>
    {
        private readonly ConnectorResilienceOptionsValidator _inner = new($"{nameof(ConnectorResilienceOptions)}[{name}]");

        public ValidateOptionsResult Validate(string? optionsName, ConnectorResilienceOptions options) =>
            string.Equals(optionsName, name, StringComparison.Ordinal) ? _inner.Validate(optionsName, options) : ValidateOptionsResult.Skip;
    }
}
