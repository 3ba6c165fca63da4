using Xunit;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Testing.Tests.Simulation;

public sealed class SimulatorBaseTests
{
    [Fact]
    public async Task Server_listens_on_loopback_and_answers_from_the_subclass()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();

        Assert.Equal("127.0.0.1", sim.BaseAddress.Host);
        using var put = await http.PutAsJsonAsync("kv/a", new { value = "1" });
        var get = await http.GetFromJsonAsync<KeyValue>("kv/a");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("1", get!.Value);
        Assert.Equal("1", sim.Get("a"));
    }

    [Fact]
    public async Task Journal_records_method_path_query_body_and_status_in_order()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();

        using var _ = await http.PutAsJsonAsync("kv/a?trace=1", new { value = "x" });
        using var __ = await http.GetAsync("kv/missing");

        var entries = sim.Journal.Entries;
        Assert.Equal(2, entries.Count);
        Assert.Equal(("PUT", "/kv/a", 201), (entries[0].Method, entries[0].Path, entries[0].StatusCode));
        Assert.Equal("1", entries[0].Query["trace"]);
        Assert.Contains("\"x\"", entries[0].Body, StringComparison.Ordinal);
        Assert.Equal(("GET", "/kv/missing", 404), (entries[1].Method, entries[1].Path, entries[1].StatusCode));
        Assert.True(entries[0].Sequence < entries[1].Sequence);
        Assert.Single(sim.Journal.Calls("/kv/a"));
        Assert.Single(sim.Journal.Calls("GET", "/kv/missing"));
        Assert.Empty(sim.Journal.Calls("POST", "/kv/missing"));
        Assert.All(entries, e => Assert.Null(e.Fault));
    }

    [Fact]
    public async Task Journal_never_stores_credentials()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "kv/a");
        request.Headers.Authorization = new("Bearer", "secret-token-123");
        request.Headers.Add("X-Api-Key", "key-456");
        request.Headers.Add("X-Trace", "visible");

        using var _ = await http.SendAsync(request);

        var headers = sim.Journal.Entries.Single().Headers;
        Assert.Equal("***", headers["Authorization"]);
        Assert.Equal("***", headers["x-api-key"]);
        Assert.Equal("visible", headers["X-Trace"]);
        Assert.DoesNotContain(headers.Values, v => v.Contains("secret", StringComparison.Ordinal) || v.Contains("456", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailNext_answers_the_status_without_running_the_handler_then_recovers()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();
        sim.Faults.FailNext(2, 503);

        using var first = await http.PostAsync("counter/increment", null);
        using var second = await http.PostAsync("counter/increment", null);
        using var third = await http.PostAsync("counter/increment", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(1, sim.Counter);
        Assert.Equal([FaultKind.Status, FaultKind.Status, null], sim.Journal.Entries.Select(e => e.Fault));
    }

    [Fact]
    public async Task Fault_scope_only_hits_matching_requests()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();
        sim.Faults.FailNext(1, 500, when: r => r.Is("POST", "/counter/increment"));

        using var get = await http.GetAsync("kv/a");
        using var post = await http.PostAsync("counter/increment", null);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
    }

    [Fact]
    public async Task ThrottleNext_answers_429_with_Retry_After()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();
        sim.Faults.ThrottleNext(1, TimeSpan.FromSeconds(2));

        using var throttled = await http.PostAsync("counter/increment", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(0, sim.Counter);
        Assert.Equal(FaultKind.Throttle, sim.Journal.Entries.Single().Fault);
    }

    [Fact]
    public async Task Lost_response_applies_the_write_but_the_client_sees_a_transport_failure()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();
        sim.Faults.LoseNextResponses(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync("counter/increment", null));
        using var next = await http.PostAsync("counter/increment", null);

        Assert.Equal(2, sim.Counter);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var entries = sim.Journal.Calls("/counter/increment");
        Assert.Equal(FaultKind.LostResponse, entries[0].Fault);
        Assert.True(entries[0].Faulted);
        Assert.Null(entries[1].Fault);
    }

    [Fact]
    public async Task FailShare_with_the_same_seed_fails_the_same_calls()
    {
        static async Task<List<int>> FailedCalls(int seed)
        {
            await using var sim = new KeyValueSimulator(new SimulatorOptions { Seed = seed });
            using var http = sim.CreateClient();
            sim.Faults.FailShare(0.3);
            var failed = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await http.GetAsync("kv/a");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    failed.Add(i);
                }
            }

            return failed;
        }

        var first = await FailedCalls(seed: 7);
        var again = await FailedCalls(seed: 7);
        var other = await FailedCalls(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count, 4, 20); // 30 % of 40 = 12; far outside this range means the share is ignored
    }

    [Fact]
    public async Task Latency_waits_on_the_simulator_clock_and_overlaps_concurrent_calls()
    {
        var time = new FakeTimeProvider();
        await using var sim = new KeyValueSimulator(new SimulatorOptions { TimeProvider = time });
        using var http = sim.CreateClient();
        sim.Faults.AddLatency(TimeSpan.FromSeconds(5));

        var waiting = 0;
        var allWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sim.LatencyStarted += () =>
        {
            if (Interlocked.Increment(ref waiting) == 3)
            {
                allWaiting.SetResult();
            }
        };

        var calls = Enumerable.Range(0, 3).Select(_ => http.GetAsync("kv/a")).ToArray();
        await allWaiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        time.Advance(TimeSpan.FromSeconds(5)); // one advance releases all three: the delays overlap
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.All(sim.Journal.Entries, e => Assert.Equal(FaultKind.Latency, e.Fault));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Handler_calls_never_overlap()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();

        var calls = Enumerable.Range(0, 20).Select(_ => http.PostAsync("counter/increment", null));
        var responses = await Task.WhenAll(calls);

        Assert.Equal(20, sim.Counter);
        Assert.Equal(1, sim.MaxConcurrentHandlers);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Handler_exception_answers_500_naming_it_and_the_simulator_keeps_serving()
    {
        await using var sim = new KeyValueSimulator();
        using var http = sim.CreateClient();

        using var boom = await http.PostAsync("boom", null);
        using var next = await http.PostAsync("counter/increment", null);

        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.Contains("InvalidOperationException: handler bug", await boom.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Dispose_frees_the_port()
    {
        var sim = new KeyValueSimulator();
        var port = sim.BaseAddress.Port;
        using (var http = sim.CreateClient())
        {
            using var _ = await http.GetAsync("kv/a");
        }

        await sim.DisposeAsync();

        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(System.Net.IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // TIME_WAIT is not "held"
        listener.Start(); // throws (address in use) while the simulator still listens
        listener.Stop();
    }

    private sealed record KeyValue(string Key, string Value);
}
