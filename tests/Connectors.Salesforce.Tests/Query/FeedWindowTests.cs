using System.Globalization;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Tests.Query;

public sealed class FeedWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    /// <summary>When the window reads its rows: long after their seconds are over, unless a test says otherwise.</summary>
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Fact]
    public void Horizon_trails_the_newest_stamp_by_the_overlap_and_never_moves_back()
    {
        var window = new FeedWindow(null);

        window.Add(Id(1), T0.AddMinutes(10), "p1", Overlap, Later);
        window.Add(Id(2), T0, "p2", Overlap, Later); // a late row, older than the horizon's newest

        Assert.Equal(T0.AddMinutes(5), window.Horizon);
        Assert.Equal(1, window.Count); // the late row is at the horizon: forgotten (the feed never reads it again)
    }

    [Fact]
    public void A_row_is_seen_only_with_the_same_stamp_and_the_same_values()
    {
        var window = new FeedWindow(null);
        window.Add(Id(1), T0, "same", Overlap, Later);

        Assert.True(window.Seen(Id(1), T0, "same"));
        Assert.False(window.Seen(Id(1), T0, "edited in the same second")); // a late edit within the same second
        Assert.False(window.Seen(Id(1), T0.AddSeconds(1), "same"));
        Assert.False(window.Seen(Id(2), T0, "same"));
    }

    [Fact]
    public void Encoding_round_trips_horizon_rows_and_fingerprints()
    {
        var window = new FeedWindow(null);
        window.Add(Id(1), T0.AddSeconds(40), "AAAAAAAA", Overlap, Later);
        window.Add(Id(2), T0.AddSeconds(40), "BBBBBBBB", Overlap, Later);
        window.Add(Id(3), T0.AddMinutes(1), "CCCCCCCC", Overlap, Later);

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
    public void Past_capacity_the_oldest_rows_of_seconds_that_are_over_are_forgotten_and_the_horizon_keeps_the_rest_of_their_second()
    {
        var window = new FeedWindow(null);

        // A bulk load: more rows in one second than the window holds, all still inside the overlap.
        for (var i = 0; i < FeedWindow.Capacity + 10; i++)
        {
            window.Add(Id(i), T0, "p", Overlap, Later);
        }

        Assert.Equal(FeedWindow.Capacity, window.Count);
        Assert.Equal(T0, window.Horizon);
        Assert.Equal(Id(9), window.HorizonId); // rows of T0 with a greater id are still ahead of the horizon
        Assert.True(window.Seen(Id(10), T0, "p"));
        Assert.False(window.Seen(Id(9), T0, "p"));
    }

    [Fact]
    public void Past_capacity_the_rows_of_a_second_still_going_on_are_kept()
    {
        var window = new FeedWindow(null);

        // A bulk load read while its second is still going on: an edit later in that second stamps a row of a lower id
        // with the same stamp, so no keyset inside it may be the horizon.
        for (var i = 0; i < FeedWindow.Capacity + 10; i++)
        {
            window.Add(Id(i), T0, "p", Overlap, T0.AddMilliseconds(500));
        }

        Assert.Equal(FeedWindow.Capacity + 10, window.Count);
        Assert.True(window.Horizon < T0);
        Assert.Null(window.HorizonId);

        // Once that second is over, the next row read trims the window to its capacity.
        window.Add(Id(FeedWindow.Capacity + 10), T0.AddSeconds(5), "p", Overlap, T0.AddSeconds(5));
        Assert.Equal(FeedWindow.Capacity, window.Count);
        Assert.Equal((T0, Id(10)), (window.Horizon, window.HorizonId));
    }

    [Fact]
    public void Without_overlap_the_horizon_is_the_end_of_the_second_before_the_newest_row()
    {
        var window = new FeedWindow(null);

        window.Add(Id(1), T0, "p", TimeSpan.Zero, Later);
        window.Add(Id(2), T0, "p", TimeSpan.Zero, Later);

        // The rest of the newest second may still be ahead, on a later page, or edited later in that second.
        Assert.Equal(T0.AddSeconds(-1), window.Horizon);
        Assert.Null(window.HorizonId);
        Assert.True(window.Seen(Id(1), T0, "p"));
    }

    [Fact]
    public void A_keyset_horizon_round_trips_and_an_unchanged_window_keeps_its_text()
    {
        var window = new FeedWindow(null);
        for (var i = 0; i < FeedWindow.Capacity + 1; i++)
        {
            window.Add(Id(i), T0, "p", Overlap, Later);
        }

        var text = window.Encode();
        var parts = text.Split('|');
        Assert.True(FeedWindow.TryDecode(parts[0], parts[1], out var decoded));

        Assert.Equal(Id(0), decoded!.HorizonId);
        Assert.Same(decoded.Encode(), decoded.Encode());
        Assert.Equal(text, decoded.Encode());
    }

    [Fact]
    public void A_window_read_back_from_its_text_knows_its_rows_and_encodes_to_the_same_text_with_a_fractional_overlap()
    {
        var overlap = TimeSpan.FromSeconds(2.5);
        var window = new FeedWindow(null);
        window.Add(Id(1), T0, "AAAAAAAA", overlap, Later);
        window.Add(Id(2), T0.AddSeconds(2), "BBBBBBBB", overlap, Later);
        var text = window.Encode();

        var parts = text.Split('|');
        Assert.True(FeedWindow.TryDecode(parts[0], parts[1], out var decoded));

        Assert.True(decoded!.Seen(Id(2), T0.AddSeconds(2), "BBBBBBBB"));
        Assert.Equal(text, decoded.Encode());
    }

    private static string Id(int n) => "001SIM" + n.ToString("D9", CultureInfo.InvariantCulture) + "AAA";
}
