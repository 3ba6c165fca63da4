using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Concord.AspNetCore.Tests.Webhooks.Endpoints;
using Concord.AspNetCore.Tests.Webhooks.Verification;
using Concord.Sync.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Concord.AspNetCore.Tests.Webhooks.Load;

/// <summary>
/// The endpoint on Kestrel at 127.0.0.1 under a bounded load of mixed deliveries (issue 15 §5), and under fuzzed bodies and
/// headers. Bounded in count (10,000 and 1,200 requests); figures go to the test output, nothing is asserted on time.
/// </summary>
public sealed class WebhookLoadTests(ITestOutputHelper output)
{
    private enum Sort { Valid, Forged, Stale, Replay, Malformed }

    [Fact]
    public async Task Ten_thousand_mixed_deliveries_refuse_every_bad_one_lose_no_valid_one_and_never_answer_5xx()
    {
        await using var server = await KestrelHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var sorts = Enumerable.Range(0, 10_000).Select(i => (i % 20) switch
        {
            0 or 1 => Sort.Forged,     // 10 %
            2 or 3 => Sort.Stale,      // 10 %
            4 or 5 => Sort.Replay,     // 10 %
            6 => Sort.Malformed,       // 5 %
            _ => Sort.Valid,           // 65 %
        }).ToArray();
        var valid = new List<Func<HttpRequestMessage>>();
        var requests = new List<(Sort Sort, Func<HttpRequestMessage> Build)>();
        for (var i = 0; i < sorts.Length; i++)
        {
            var n = i;
            Func<HttpRequestMessage>? build = sorts[n] switch
            {
                Sort.Forged => () => Deliver(n, now, forged: true),
                Sort.Stale => () => Deliver(n, now.AddMinutes(-10)),
                Sort.Malformed => () => Deliver(n, now, body: "[{\"eventId\":" + n.ToString(CultureInfo.InvariantCulture)),
                Sort.Valid => () => Deliver(n, now),
                _ => null,
            };
            if (build is not null)
            {
                requests.Add((sorts[n], build));
                if (sorts[n] == Sort.Valid)
                {
                    valid.Add(build);
                }
            }
        }

        // A replay is the very same request as a valid one sent before: same signature, same timestamp, same events.
        var replayed = 0;
        foreach (var sort in sorts.Where(s => s == Sort.Replay))
        {
            requests.Add((sort, valid[replayed++ * 7 % valid.Count]));
        }

        // Replays go after the originals; the rest in a fixed shuffled order.
        var rng = new Random(15);
        var firstPass = requests.Where(r => r.Sort != Sort.Replay).OrderBy(_ => rng.Next()).ToList();
        var replays = requests.Where(r => r.Sort == Sort.Replay).ToList();
        var statuses = new ConcurrentBag<(Sort Sort, HttpStatusCode Status)>();
        var clock = Stopwatch.StartNew();
        await SendAllAsync(server.Client, firstPass, statuses);
        await SendAllAsync(server.Client, replays, statuses);
        clock.Stop();

        var bySort = statuses.GroupBy(s => s.Sort).ToDictionary(g => g.Key, g => g.GroupBy(s => s.Status).ToDictionary(h => h.Key, h => h.Count()));
        foreach (var (sort, counts) in bySort.OrderBy(p => p.Key))
        {
            output.WriteLine($"{sort}: {string.Join(", ", counts.Select(c => $"{(int)c.Key}×{c.Value}"))}");
        }

        output.WriteLine($"{statuses.Count} deliveries in {clock.Elapsed.TotalSeconds:F1} s ({statuses.Count / clock.Elapsed.TotalSeconds:F0}/s, 16 concurrent, Kestrel on 127.0.0.1)");
        Assert.Equal(10_000, statuses.Count);
        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500);
        Assert.All(statuses.Where(s => s.Sort is Sort.Forged or Sort.Stale), s => Assert.Equal(HttpStatusCode.Unauthorized, s.Status));
        Assert.All(statuses.Where(s => s.Sort is Sort.Malformed), s => Assert.Equal(HttpStatusCode.BadRequest, s.Status));
        Assert.All(statuses.Where(s => s.Sort is Sort.Valid or Sort.Replay), s => Assert.Equal(HttpStatusCode.OK, s.Status));
        var stored = await server.Inbox.ReadPendingAsync("hubspot", 100_000);
        Assert.Equal(valid.Count, stored.Count); // every valid event once; no replay added one; nothing bad got in
        Assert.Equal(valid.Count, stored.Select(e => e.Key).Distinct().Count());
    }

    [Fact]
    public async Task Fuzzed_bodies_and_headers_are_answered_only_2xx_or_4xx()
    {
        await using var server = await KestrelHost.StartAsync();
        var rng = new Random(1515);
        var now = DateTimeOffset.UtcNow;
        var paths = new[] { "hubspot", "zendesk", "billing", "salesforce", "odoo/" + WebhookHost.OdooSecret, "odoo/x" };
        var contentTypes = new[] { "application/json", "text/xml", "application/json; charset=utf-16", "text/plain", "application/cloudevents+json", "", "application/json; boundary=\"" };
        var seeds = new[] { WebhookHost.HubSpotBatch((1, 2, null)), Vectors.ZendeskBody, """{"_model":"res.partner","_id":14}""", Salesforce.Message(WebhookHost.OrganizationId, ("04l000000000001AAA", "001000000000001AAA")), "[]", "{}", "null" };
        var statuses = new ConcurrentBag<(Sort, HttpStatusCode)>();
        var requests = new List<(Sort, Func<HttpRequestMessage>)>();
        for (var i = 0; i < 1_200; i++)
        {
            var path = paths[rng.Next(paths.Length)];
            var body = Mutate(seeds[rng.Next(seeds.Length)], rng);
            var contentType = contentTypes[rng.Next(contentTypes.Length)];
            var headers = new List<(string, string)>();
            foreach (var name in new[] { "X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp", "X-HubSpot-Signature", "X-HubSpot-Signature-Version", "X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp", "webhook-id", "webhook-timestamp", "webhook-signature" })
            {
                if (rng.Next(2) == 0)
                {
                    headers.Add((name, FuzzValue(rng, now)));
                }
            }

            var bytes = body;
            requests.Add((Sort.Malformed, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/concord/webhooks/" + path) { Content = new ByteArrayContent(bytes) };
                if (contentType.Length > 0)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                return request;
            }));
        }

        // Signed fuzz: valid HubSpot signatures over mutated bodies reach the parser.
        for (var i = 0; i < 300; i++)
        {
            var body = Encoding.UTF8.GetString(Mutate(WebhookHost.HubSpotBatch((i, i, null)), rng));
            requests.Add((Sort.Malformed, () => Deliver(i, now, body: body)));
        }

        await SendAllAsync(server.Client, requests, statuses);

        var counts = statuses.GroupBy(s => (int)s.Item2).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{statuses.Count} fuzzed requests: {string.Join(", ", counts)}");
        Assert.Equal(1_500, statuses.Count);
        Assert.All(statuses, s => Assert.InRange((int)s.Item2, 200, 499));
    }

    private static byte[] Mutate(string seed, Random rng)
    {
        var bytes = Encoding.UTF8.GetBytes(seed).ToList();
        switch (rng.Next(6))
        {
            case 0: // flip bytes
                for (var k = 0; k < 1 + rng.Next(8) && bytes.Count > 0; k++)
                {
                    bytes[rng.Next(bytes.Count)] = (byte)rng.Next(256);
                }

                break;
            case 1: // truncate
                bytes = bytes.Take(rng.Next(bytes.Count + 1)).ToList();
                break;
            case 2: // deep nesting
                bytes = Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)).ToList();
                break;
            case 3: // random bytes
                var random = new byte[rng.Next(2048)];
                rng.NextBytes(random);
                bytes = [.. random];
                break;
            case 4: // insert garbage
                bytes.InsertRange(rng.Next(bytes.Count + 1), Encoding.UTF8.GetBytes("\"\\u0000\uFFFD<!DOCTYPE x [<!ENTITY e \"e\">]>&e;"));
                break;
            default:
                break;
        }

        return [.. bytes];
    }

    private static string FuzzValue(Random rng, DateTimeOffset now) => rng.Next(8) switch
    {
        0 => now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        1 => "99999999999999999999999",
        2 => "-1",
        3 => "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        4 => new string('A', rng.Next(1, 3000)),
        5 => now.ToString("O", CultureInfo.InvariantCulture),
        6 => "v1,",
        _ => "%%\\\" \t" + rng.Next(),
    };

    private static HttpRequestMessage Deliver(int i, DateTimeOffset at, bool forged = false, string? body = null)
    {
        body ??= WebhookHost.HubSpotBatch((i, 100_000 + i, null));
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = forged
            ? Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not-the-secret"), Encoding.UTF8.GetBytes("POST" + WebhookHost.HubSpotUrl + body + timestamp)))
            : Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookHost.HubSpotSecret), Encoding.UTF8.GetBytes("POST" + WebhookHost.HubSpotUrl + body + timestamp)));
        var request = WebhookHost.Json("/concord/webhooks/hubspot", body);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        return request;
    }

    private static async Task SendAllAsync<TSort>(HttpClient client, IReadOnlyList<(TSort Sort, Func<HttpRequestMessage> Build)> requests, ConcurrentBag<(TSort, HttpStatusCode)> statuses)
    {
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (r, ct) =>
        {
            using var response = await client.SendAsync(r.Build(), ct);
            statuses.Add((r.Sort, response.StatusCode));
        });
    }

    /// <summary>The web host on Kestrel at 127.0.0.1 (a real socket), with the system clock and the in-memory inbox.</summary>
    private sealed class KestrelHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private KestrelHost(WebApplication app, HttpClient client)
        {
            _app = app;
            Client = client;
        }

        public HttpClient Client { get; }

        public IWebhookInbox Inbox => _app.Services.GetRequiredService<IWebhookInbox>();

        public static async Task<KestrelHost> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(WebhookHost.DefaultSettings());
            builder.Services.AddConcord().AddConcordWebhooks(builder.Configuration.GetSection("Concord:Webhooks"));
            var app = builder.Build();
            app.MapConcordWebhooks("/concord/webhooks");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new KestrelHost(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }
}
