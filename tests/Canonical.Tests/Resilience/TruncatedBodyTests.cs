using System.Net;
using System.Net.Sockets;
using System.Text;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

/// <summary>A connection that drops while the body is read is a transport failure like any other, even when the caller asks for headers only (as Refit does).</summary>
public sealed class TruncatedBodyTests
{
    [Fact]
    public async Task A_body_cut_short_is_retried_inside_the_pipeline_and_fails_as_Transient()
    {
        using var server = new TruncatingServer();
        var services = new ServiceCollection();
        services.AddHttpClient("Concord.testvendor.t")
            .ConfigureHttpClient(c => c.BaseAddress = server.BaseAddress)
            .AddConcordResilience("testvendor", _ => new ConnectorResilienceOptions { MaxRetryAttempts = 1, BaseDelay = TimeSpan.Zero, UseJitter = false });
        await using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.testvendor.t");

        var failure = await Assert.ThrowsAsync<ConcordException>(async () =>
        {
            using var response = await client.GetAsync(new Uri("records/1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsStringAsync();
        });

        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.Equal("testvendor", failure.System);
        Assert.Equal(2, server.Connections);
    }

    /// <summary>Answers every request with a 200 announcing 100 bytes, sends 10 and closes the connection.</summary>
    private sealed class TruncatingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public TruncatingServer()
        {
            _listener.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = Task.Run(AcceptAsync);
        }

        public Uri BaseAddress { get; }

        public int Connections => Volatile.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var buffer = new byte[8192];
                var received = new StringBuilder();
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\": 1, "), SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
        }
    }
}
