using System.Net;
using System.Net.Sockets;
using System.Text;
using Concord.Canonical.Resilience;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;
using Xunit;

namespace Concord.Canonical.Tests.Resilience.Infrastructure;

/// <summary>
/// A WireMock server on 127.0.0.1 answering from a script, and an <see cref="HttpClient"/> built by the container with
/// <c>AddConcordResilience</c>, a <see cref="TestClock"/> and a <see cref="RecordingHandler"/> inside the pipeline.
/// </summary>
internal sealed class ResilienceHarness : IAsyncDisposable
{
    public const string System = "testvendor";

    // Distinct from any retry delay, so the clock does not mistake a timeout timer for something to wait for.
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(17);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(97);

    private readonly Lock _gate = new();
    private readonly Queue<Func<IResponseMessage>> _script = new();
    private readonly ServiceProvider _services;

    public ResilienceHarness(Action<ConnectorResilienceOptions>? configure = null, string system = System, Action<IServiceCollection>? services = null)
    {
        Signal = new Signal();
        Clock = new TestClock(Signal);
        Clock.Ignore = due => due == AttemptTimeout || due == TotalTimeout;
        Server = StartServer();
        Server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(_ => Next()));

        Options = new ConnectorResilienceOptions
        {
            AttemptTimeout = AttemptTimeout,
            TotalRequestTimeout = TotalTimeout,
            UseJitter = false,
            BaseDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryAttempts = 3,
            PermitLimit = 1000,
        };
        configure?.Invoke(Options);

        Recorder = new RecordingHandler(Clock, Signal);
        var container = new ServiceCollection();
        container.AddSingleton<TimeProvider>(Clock);
        services?.Invoke(container);
        var clientName = $"Concord.{system}.t";
        container.AddHttpClient(clientName)
            .ConfigureHttpClient(c => c.BaseAddress = new Uri($"http://127.0.0.1:{Server.Port}/"))
            .AddConcordResilience(system, _ => Options)
            .AddHttpMessageHandler(() => Recorder);
        _services = container.BuildServiceProvider(validateScopes: true);
        Client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
    }

    public WireMockServer Server { get; }

    public TestClock Clock { get; }

    public Signal Signal { get; }

    public RecordingHandler Recorder { get; }

    public ConnectorResilienceOptions Options { get; }

    public HttpClient Client { get; }

    /// <summary>Requests WireMock received.</summary>
    public int ServerCalls => Server.LogEntries.Count;

    /// <summary>Queues answers, one per request; when the script runs out every request gets 200.</summary>
    public ResilienceHarness Respond(params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            Respond(status);
        }

        return this;
    }

    public ResilienceHarness Respond(int statusCode, params (string Name, string Value)[] headers)
    {
        lock (_gate)
        {
            _script.Enqueue(() =>
            {
                var message = new ResponseMessage
                {
                    StatusCode = statusCode,
                    BodyData = new BodyData { BodyAsString = $"{{\"status\":{statusCode}}}", DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
                };
                message.AddHeader("Content-Type", "application/json");
                foreach (var (name, value) in headers)
                {
                    message.AddHeader(name, value);
                }

                return message;
            });
        }

        return this;
    }

    /// <summary>
    /// Runs <paramref name="call"/> to completion, advancing the fake clock straight to the next armed retry delay or
    /// limiter wake-up whenever no attempt is in flight. Never sleeps; fails after 15 s of real time without progress.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> call, int maxAdvances = 200)
    {
        for (var advances = 0; ; )
        {
            var changed = Signal.Next;
            if (call.IsCompleted)
            {
                return await call;
            }

            if (Recorder.InFlight == 0 && Clock.NextDue is { } due)
            {
                Assert.True(++advances <= maxAdvances, "The call did not finish within the allowed clock advances.");
                var delta = due - Clock.GetUtcNow();
                Clock.Advance(delta > TimeSpan.Zero ? delta : TimeSpan.Zero);
                continue;
            }

            await Task.WhenAny(call, changed).WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    public async Task DriveAsync(Task call) => await DriveAsync(AsObject(call));

    /// <summary>Waits, without sleeping, until <paramref name="condition"/> holds (checked at each attempt start/end or timer change).</summary>
    public async Task WaitUntilAsync(Func<bool> condition)
    {
        // The signal fires on the server's side; a condition that also reads the client's tasks (which complete a moment
        // after the server answered, without a signal) is looked at again every 20 ms, for at most 15 s of real time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var changed = Signal.Next;
            if (condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The harness's condition did not hold within 15 s.");
            }

            await Task.WhenAny(changed, Task.Delay(20));
        }
    }

    /// <summary>Stops WireMock and waits (real time, at most 5 s) until its port refuses connections: Stop returns before Kestrel closes the socket.</summary>
    public async Task StopServerAsync()
    {
        var port = Server.Port;
        Server.Stop();
        for (var i = 0; i < 500; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            catch (SocketException)
            {
            }

            await Task.Delay(10);
        }

        Assert.Fail($"WireMock still accepts connections on port {port}.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();

        // Polly disposes a pipeline only after its in-flight executions have finished, polling with Task.Delay on the
        // pipeline's TimeProvider: on the fake clock that delay never ends while nobody advances it, and a test whose last
        // response was returned a moment before the execution was counted finished hung here (about one run in five).
        // Keep the fake clock moving until the container is disposed.
        var disposing = _services.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing;
        Server.Stop();
        Server.Dispose();
    }

    private static async Task<object?> AsObject(Task call)
    {
        await call;
        return null;
    }

    private IResponseMessage Next()
    {
        lock (_gate)
        {
            if (_script.TryDequeue(out var next))
            {
                return next();
            }
        }

        return new ResponseMessage
        {
            StatusCode = 200,
            BodyData = new BodyData { BodyAsString = "{\"status\":200}", DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
    }

    private static WireMockServer StartServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"], StartAdminInterface = false });
    }
}
