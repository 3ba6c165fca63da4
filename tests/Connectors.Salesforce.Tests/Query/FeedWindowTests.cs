using System.Globalization;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Tests.Query;

public sealed class FeedWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    [Fact]
    public void Horizon_trails_the_newest_stamp_by_the_overlap_and_never_moves_back()
    {
        var window = new FeedWindow(null);

        window.Add(Id(1), T0.AddMinutes(10), "p1", Overlap, T0.AddHours(1));
        window.Add(Id(2), T0, "p2", Overlap, T0.AddHours(1)); // a late row, older than the horizon's newest

        Assert.Equal(T0.AddMinutes(5), window.Horizon);
        Assert.Equal(1, window.Count); // the late row is at the horizon: forgotten (the feed never reads it again)
    }

    [Fact]
    public void A_row_is_seen_only_with_the_same_stamp_and_the_same_values()
    {
        var window = new FeedWindow(null);
        window.Add(Id(1), T0, "same", Overlap, T0);

        Assert.True(window.Seen(Id(1), T0, "same"));
        Assert.False(window.Seen(Id(1), T0, "edited in the same second")); // a late edit within the same second
        Assert.False(window.Seen(Id(1), T0.AddSeconds(1), "same"));
        Assert.False(window.Seen(Id(2), T0, "same"));
    }

    [Fact]
    public void Encoding_round_trips_horizon_rows_and_fingerprints()
    {
        var window = new FeedWindow(null);
        window.Add(Id(1), T0.AddSeconds(40), "AAAAAAAA", Overlap, T0);
        window.Add(Id(2), T0.AddSeconds(40), "BBBBBBBB", Overlap, T0);
        window.Add(Id(3), T0.AddMinutes(1), "CCCCCCCC", Overlap, T0);

        var parts = window.Encode().Split('|');
        Assert.True(FeedWindow.TryDecode(parts[0], parts[1], out var decoded));

        Assert.Equal(window.Horizon, decoded!.Horizon);
        Assert.Equal(3, decoded.Count);
        Assert.True(decoded.Seen(Id(1), T0.AddSeconds(40), "AAAAAAAA"));
        Assert.True(decoded.Seen(Id(3), T0.AddMinutes(1), "CCCCCCCC"));
        Assert.False(decoded.Seen(Id(2), T0.AddSeconds(40), "AAAAAAAA"));
        Assert.Equal(window.Encode(), decoded.Encode());
    }

    [Theory]
    [InlineData("-", "x~001")]
    [InlineData("2026-11-23T10:00:00.000Z", "5~001SIM00000000.AAAAAAAA")] // 14 characters: not an id key
    [InlineData("not a date", "-")]
    public void Malformed_parts_are_refused(string horizon, string rows)
    {
        Assert.False(FeedWindow.TryDecode(horizon, rows, out _));
    }

    [Fact]
    public void Past_capacity_only_rows_older_than_the_overlap_on_the_clock_are_forgotten()
    {
        var window = new FeedWindow(null);
        var count = FeedWindow.Capacity + 10;

        // A burst within one second, still inside the overlap on the clock: every row is kept, however many.
        for (var i = 0; i < count; i++)
        {
            window.Add(Id(i), T0, "p", Overlap, now: T0.AddSeconds(1));
        }

        Assert.Equal(count, window.Count);

        // Once the clock is past the overlap, the next row lets the window drop the burst by moving its horizon.
        window.Add(Id(count), T0.AddSeconds(1), "p", Overlap, now: T0.AddMinutes(10));

        Assert.Equal(T0, window.Horizon);
        Assert.Equal(1, window.Count);
    }

    private static string Id(int n) => "001SIM" + n.ToString("D9", CultureInfo.InvariantCulture) + "AAA";
}
