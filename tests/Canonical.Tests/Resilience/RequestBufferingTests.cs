using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Concord.Canonical.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

/// <summary>
/// Every request a connector sends through Concord's pipeline carries its body's length: a proxy or gateway that reads
/// only <c>Content-Length</c> (common in front of Odoo) otherwise waits for a body that never ends, and the vendor's
/// worker is killed at its time limit. Checked on the wire, on a raw socket.
/// </summary>
public sealed class RequestBufferingTests
{
    [Fact]
    public async Task A_body_of_unknown_length_is_sent_with_a_content_length_and_not_chunked()
    {
        using var server = new RecordingServer(failFirst: 0);
        await using var provider = Build(server, retries: 0);
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.testvendor.t");
        var content = JsonContent.Create(new { name = "Acme GmbH", city = "Berlin" });
        Assert.Null(content.Headers.ContentLength);

        using var response = await client.PostAsync(new Uri("records", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal(Encoding.UTF8.GetByteCount("""{"name":"Acme GmbH","city":"Berlin"}""").ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.Null(request.Header("Transfer-Encoding"));
        Assert.Equal("""{"name":"Acme GmbH","city":"Berlin"}""", request.Body);
    }

    [Fact]
    public async Task A_retried_request_sends_the_same_body_with_its_length_again()
    {
        using var server = new RecordingServer(failFirst: 1);
        await using var provider = Build(server, retries: 1);
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.testvendor.t");
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri("records", UriKind.Relative)) { Content = JsonContent.Create(new[] { 1, 2, 3 }) };
        message.MarkIdempotent();

        using var response = await client.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("7", r.Header("Content-Length"));
            Assert.Null(r.Header("Transfer-Encoding"));
            Assert.Equal("[1,2,3]", r.Body);
        });
    }

    private static ServiceProvider Build(RecordingServer server, int retries)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("Concord.testvendor.t")
            .ConfigureHttpClient(c => c.BaseAddress = server.BaseAddress)
            .AddConcordResilience("testvendor", _ => new ConnectorResilienceOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.Zero, UseJitter = false });
        return services.BuildServiceProvider();
    }

    private sealed record RecordedRequest(string Head, string Body)
    {
        public string? Header(string name)
        {
            foreach (var line in Head.Split("\r\n"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && string.Equals(line[..colon], name, StringComparison.OrdinalIgnoreCase))
                {
                    return line[(colon + 1)..].Trim();
                }
            }

            return null;
        }
    }

    /// <summary>Records each request's head and body as they arrived (a chunked body with its chunk framing); answers 503 to the first <c>failFirst</c>, then 200.</summary>
    private sealed class RecordingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private readonly List<RecordedRequest> _requests = [];
        private int _failures;

        public RecordingServer(int failFirst)
        {
            _failures = failFirst;
            _listener.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = Task.Run(AcceptAsync);
        }

        public Uri BaseAddress { get; }

        public IReadOnlyList<RecordedRequest> Requests
        {
            get
            {
                lock (_gate)
                {
                    return [.. _requests];
                }
            }
        }

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
                var data = new List<byte>();
                var buffer = new byte[8192];
                int headEnd;
                while ((headEnd = IndexOf(data, "\r\n\r\n"u8)) < 0)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    data.AddRange(buffer.AsSpan(0, read).ToArray());
                }

                var head = Encoding.ASCII.GetString([.. data.Take(headEnd)]);
                var body = data.Skip(headEnd + 4).ToList();
                var request = new RecordedRequest(head, string.Empty);
                if (request.Header("Content-Length") is { } length)
                {
                    while (body.Count < int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        body.AddRange(buffer.AsSpan(0, read).ToArray());
                    }
                }
                else if (request.Header("Transfer-Encoding") is not null)
                {
                    while (IndexOf(body, "0\r\n\r\n"u8) < 0)
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        body.AddRange(buffer.AsSpan(0, read).ToArray());
                    }
                }

                lock (_gate)
                {
                    _requests.Add(request with { Body = Encoding.UTF8.GetString([.. body]) });
                }

                var failing = Interlocked.Decrement(ref _failures) >= 0;
                var answer = failing
                    ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
                await socket.SendAsync(Encoding.ASCII.GetBytes(answer), SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
        }

        private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
        {
            for (var i = 0; i + pattern.Length <= data.Count; i++)
            {
                var match = true;
                for (var j = 0; j < pattern.Length && match; j++)
                {
                    match = data[i + j] == pattern[j];
                }

                if (match)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
