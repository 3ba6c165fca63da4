using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Concord.Testing;

/// <summary>
/// The base of every platform simulator: a WireMock.Net server on a free 127.0.0.1 port whose one catch-all mapping
/// journals each request, applies the <see cref="FaultPlan"/>, and asks the subclass to answer through
/// <see cref="HandleAsync"/>. Calls to <see cref="HandleAsync"/> run one at a time (like a single-worker server), so a
/// subclass keeps its records in plain collections; added latency is applied outside that lock.
/// </summary>
/// <example>
/// <code>
/// await using var sim = new CounterSimulator();
/// sim.Faults.LoseNextResponses(1);
/// using var http = sim.CreateClient();
/// await Assert.ThrowsAsync&lt;HttpRequestException&gt;(() =&gt; http.PostAsync("/increment", null));
/// Assert.Equal(1, sim.Value);                       // the write was applied
/// Assert.Single(sim.Journal.Calls("/increment"));
/// </code>
/// </example>
public abstract class SimulatorBase : IAsyncDisposable, IDisposable
{
    private readonly WireMockServer _server;
    private readonly SemaphoreSlim _handlerLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private int _disposed;
    private int _rateLimitExceeded;

    /// <summary>Starts the server on a free 127.0.0.1 port.</summary>
    /// <param name="options">The clock and the fault seed; defaults when <see langword="null"/>.</param>
    protected SimulatorBase(SimulatorOptions? options = null)
    {
        options ??= new SimulatorOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        _timeProvider = options.TimeProvider;
        Journal = new RequestJournal();
        Faults = new FaultPlan(options.Seed);
        _server = StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{_server.Port}/");
        _server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(OnRequestAsync));
    }

    /// <summary>The server's address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received, for assertions.</summary>
    public RequestJournal Journal { get; }

    /// <summary>The faults to inject into the next requests.</summary>
    public FaultPlan Faults { get; }

    /// <summary>
    /// How many requests the simulator's own request-rate limit refused (a count per window, set in the platform's options:
    /// HubSpot <c>TenSecondlyLimit</c> per <c>RateLimitWindow</c>, Zendesk <c>RequestsPerMinute</c> per <c>RateLimitWindow</c>,
    /// Salesforce <c>DailyApiAllocation</c> per <c>ApiUsageWindow</c>, Odoo <c>RateLimit</c> per <c>RateLimitWindow</c>), each
    /// answered as the platform does. Injected throttles (<see cref="FaultPlan"/>, <c>RateLimitNext</c>) are not counted.
    /// Several host instances sharing one rate budget should leave it at 0.
    /// </summary>
    public int RateLimitExceeded => Volatile.Read(ref _rateLimitExceeded);

    /// <summary>Raised (for this assembly's tests) when a request starts waiting for its added latency.</summary>
    internal event Action? LatencyStarted;

    /// <summary>The simulator's clock.</summary>
    protected TimeProvider TimeProvider => _timeProvider;

    /// <summary>An <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is this simulator.</summary>
    /// <returns>A new client; the caller disposes it.</returns>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Stops the server and frees its port.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server and frees its port.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server; subclasses with asynchronous resources override and call the base.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    protected virtual ValueTask DisposeAsyncCore()
    {
        Dispose(disposing: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Answers one request from the simulator's in-memory records. Never runs concurrently with itself; faults that
    /// replace the answer are applied before it, a lost response after it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Signalled when the simulator stops.</param>
    /// <returns>The answer.</returns>
    protected abstract ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken);

    /// <summary>Counts one request refused by the simulator's own request-rate limit (see <see cref="RateLimitExceeded"/>).</summary>
    protected void CountRateLimitExceeded() => Interlocked.Increment(ref _rateLimitExceeded);

    /// <summary>
    /// The answer to an injected <see cref="FaultKind.Status"/> (a 5xx) or <see cref="FaultKind.Throttle"/> (a 429): by
    /// default a generic JSON body, and <c>Retry-After</c> in whole seconds on a 429. A platform simulator overrides it to
    /// answer as its platform does (its error body, its rate-limit headers). The handler does not run.
    /// </summary>
    /// <param name="request">The request that is answered with the fault.</param>
    /// <param name="kind">The fault: <see cref="FaultKind.Status"/> or <see cref="FaultKind.Throttle"/>.</param>
    /// <param name="statusCode">The status the rule asks for (a 5xx, or 429).</param>
    /// <param name="retryAfter">The delay a throttle rule asks for, or <see langword="null"/>.</param>
    /// <returns>The answer.</returns>
    protected virtual SimulatorResponse CreateFaultResponse(SimulatorRequest request, FaultKind kind, int statusCode, TimeSpan? retryAfter)
    {
        if (kind != FaultKind.Throttle)
        {
            return SimulatorResponse.Json("""{"error":"simulated failure"}""", statusCode);
        }

        var seconds = (long)Math.Ceiling(retryAfter.GetValueOrDefault().TotalSeconds);
        return SimulatorResponse.Json("""{"error":"simulated throttle"}""", 429)
            .WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Stops the server; subclasses that hold more resources override and call the base.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _server.Stop();
        _server.Dispose();
        WaitUntilClosed(BaseAddress.Port);
        _stopping.Dispose();
    }

    /// <summary>
    /// WireMock's Stop returns before Kestrel has closed its listening socket; wait (at most 5 s) until the port
    /// refuses connections, so a disposed simulator has really freed it.
    /// </summary>
    private static void WaitUntilClosed(int port)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (5 * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            catch (SocketException)
            {
                // Reset while the listener closes: look again.
            }

            Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System).GetAwaiter().GetResult();
        }
    }

    private static WireMockServer StartServer()
    {
        // Kestrel needs a concrete port; take a free one from the OS and retry when another process wins the race.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            try
            {
                return WireMockServer.Start(new WireMockServerSettings
                {
                    Urls = [$"http://127.0.0.1:{port}"],
                    StartAdminInterface = false,
                    ReadStaticMappings = false,
                    MaxRequestLogCount = 0,

                    // Keep "ids=1,2" one value: vendors take comma-separated lists (Zendesk show_many); '&' and ';' still separate.
                    QueryParameterMultipleValueSupport = QueryParameterMultipleValueSupport.NoComma,
                    PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(
                        (HttpContext context, Func<Task> next) => CurrentHttpContext.CaptureAsync(context, next)),
                });
            }
            catch (Exception) when (attempt < 5)
            {
                // The port was taken between probing and binding: try another.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<IResponseMessage> OnRequestAsync(IRequestMessage message)
    {
        var sequence = Journal.NextSequence();
        var arrived = _timeProvider.GetUtcNow();
        var request = ToRequest(message);
        var decision = Faults.Decide(request);
        var token = _stopping.Token;

        if (decision.Latency > TimeSpan.Zero)
        {
            var delay = Task.Delay(decision.Latency, _timeProvider, token);
            LatencyStarted?.Invoke();
            await delay.ConfigureAwait(false);
        }

        SimulatorResponse response;
        FaultKind? fault = decision.Kind ?? (decision.Latency > TimeSpan.Zero ? FaultKind.Latency : null);
        switch (decision.Kind)
        {
            case FaultKind.Status or FaultKind.Throttle:
                response = CreateFaultResponse(request, decision.Kind.Value, decision.StatusCode, decision.RetryAfter);
                break;
            default:
                response = await HandleSeriallyAsync(request, token).ConfigureAwait(false);
                break;
        }

        Journal.Record(sequence, arrived, request, response.StatusCode, fault);
        if (decision.Kind == FaultKind.LostResponse)
        {
            // The write happened; now the connection goes before a single byte of the answer.
            CurrentHttpContext.Value?.Abort();
        }

        return ToResponseMessage(response);
    }

    private async ValueTask<SimulatorResponse> HandleSeriallyAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        await _handlerLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return SimulatorResponse.Json(
                System.Text.Json.Nodes.JsonValue.Create($"simulator handler failed: {ex.GetType().Name}: {ex.Message}")!.ToJsonString(),
                500);
        }
        finally
        {
            _handlerLock.Release();
        }
    }

    private static SimulatorRequest ToRequest(IRequestMessage message)
    {
        var query = message.Query?.ToDictionary(q => q.Key, q => q.Value is { Count: > 0 } values ? values[0] : string.Empty, StringComparer.Ordinal);
        var headers = message.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new SimulatorRequest(message.Method, message.AbsolutePath, query, headers, message.Body);
    }

    private static ResponseMessage ToResponseMessage(SimulatorResponse response)
    {
        var message = new ResponseMessage { StatusCode = response.StatusCode };
        if (response.Body is not null)
        {
            message.BodyData = new BodyData
            {
                BodyAsString = response.Body,
                DetectedBodyType = BodyType.String,
                Encoding = Encoding.UTF8,
            };
            message.AddHeader("Content-Type", response.ContentType ?? "text/plain; charset=utf-8");
        }

        foreach (var header in response.Headers)
        {
            message.AddHeader(header.Key, header.Value);
        }

        return message;
    }
}
