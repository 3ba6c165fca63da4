using System.Net;
using Concord.Connectors.HubSpot.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.Limits;

/// <summary>
/// HubSpot counts a request when it arrives, which can be any time until its answer comes back; the limiters count it
/// from when it leaves. A request still in flight therefore holds its permit, and its permit counts for a window after
/// its answer, so slow answers can never bunch requests of two windows together at HubSpot.
/// </summary>
public sealed class InFlightRequestTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("/crm/v3/objects/companies/search", 3, 1)]
    [InlineData("/crm/v3/objects/companies/batch/read", 9, 10)]
    public async Task A_request_leaves_only_a_window_after_the_answers_of_the_requests_that_filled_the_limit(string path, int limit, int windowSeconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var options = new HubSpotConnectorOptions
        {
            BaseAddress = new Uri("https://api.hubapi.com/"),
            AccessToken = "pat-test",
            SearchRequestsPerSecond = limit,
            TenSecondlyLimit = limit,
            RateLimitHeadroom = 0,
        };
        var vendor = new SlowVendor(clock, Latency);
        using var client = new HttpMessageInvoker(new HubSpotRateLimitHandler(new PortalLimits(options, TimeZoneInfo.Utc, clock), "hubspot", clock, NullLogger.Instance) { InnerHandler = vendor });

        var requests = Enumerable.Range(0, limit + 1)
            .Select(_ => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseAddress, path)), CancellationToken.None))
            .ToList();
        for (var step = 0; step < windowSeconds * 300 && !requests.TrueForAll(r => r.IsCompleted); step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await vendor.SettleAsync();
        }

        await Task.WhenAll(requests);
        var answered = vendor.Answered.Take(limit).Max();
        var last = vendor.Sent[limit];
        Assert.True(last >= answered + TimeSpan.FromSeconds(windowSeconds), $"request {limit + 1} left {last - answered} after the answers of the first {limit} (HubSpot may have counted them up to then)");
    }

    /// <summary>Answers every request after <paramref name="latency"/> on the fake clock, recording when each left and was answered.</summary>
    private sealed class SlowVendor(TimeProvider clock, TimeSpan latency) : HttpMessageHandler
    {
        private readonly Lock _gate = new();
        private readonly List<DateTimeOffset> _sent = [];
        private readonly List<DateTimeOffset> _answered = [];
        private int _pending;

        public IReadOnlyList<DateTimeOffset> Sent
        {
            get
            {
                lock (_gate)
                {
                    return [.. _sent];
                }
            }
        }

        public IReadOnlyList<DateTimeOffset> Answered
        {
            get
            {
                lock (_gate)
                {
                    return [.. _answered];
                }
            }
        }

        /// <summary>Lets the continuations the last clock step released run.</summary>
        public async Task SettleAsync()
        {
            for (var i = 0; i < 20; i++)
            {
                await Task.Yield();
            }

            SpinWait.SpinUntil(() => Volatile.Read(ref _pending) == 0, TimeSpan.FromMilliseconds(50));
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _sent.Add(clock.GetUtcNow());
            }

            await Task.Delay(latency, clock, cancellationToken);
            Interlocked.Increment(ref _pending);
            try
            {
                lock (_gate)
                {
                    _answered.Add(clock.GetUtcNow());
                }

                return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
