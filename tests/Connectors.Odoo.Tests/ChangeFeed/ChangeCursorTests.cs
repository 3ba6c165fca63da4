using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.ChangeFeed;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Odoo.Tests.ChangeFeed;

/// <summary>The cursor's parts: the partner-set sketch, the bounded record of what was sent, and the carry-over of an <c>o1.</c> cursor.</summary>
public sealed class ChangeCursorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(90)]
    public void The_sketch_names_every_pair_that_differs_between_two_large_sets(int changes)
    {
        var random = new Random(changes);
        var before = new PartnerSetSketch();
        var after = new PartnerSetSketch();
        var removed = new HashSet<(long, long)>();
        for (long id = 1; id <= 100_000; id++)
        {
            var pair = (Id: id * 37, Root: id % 5 == 0 ? id * 37 : (id - (id % 5)) * 37);
            before.Add(pair.Id, pair.Root);
            if (removed.Count < changes && random.Next(100_000 / changes) == 0)
            {
                removed.Add(pair);
                continue;
            }

            after.Add(pair.Id, pair.Root);
        }

        var complete = before.Subtract(after).TryList(out var pairs);

        Assert.True(complete);
        Assert.Equal(removed.Order(), pairs.Select(p => (p.Id, p.Root)).Order());
        Assert.All(pairs, p => Assert.Equal(1, p.Sign));
    }

    [Fact]
    public void A_difference_beyond_the_capacity_says_it_is_incomplete_and_lists_only_true_pairs()
    {
        var before = new PartnerSetSketch();
        var after = new PartnerSetSketch();
        for (long id = 1; id <= 1_000; id++)
        {
            before.Add(id, id);
            if (id > 400)
            {
                after.Add(id, id);
            }
        }

        var complete = before.Subtract(after).TryList(out var pairs);

        Assert.False(complete);
        Assert.All(pairs, p => Assert.True(p.Id <= 400 && p.Root == p.Id && p.Sign == 1));
    }

    [Fact]
    public void The_record_of_sent_trees_stays_within_its_chunk_budget_and_still_vouches_for_unchanged_trees()
    {
        var builder = new RootDigestBuilder(ChangeCursorState.MaxChunks);
        var sums = new SortedDictionary<long, (int Count, ulong Hash)>();
        for (long root = 1; root <= 20_000; root += 3)
        {
            var hash = (ulong)root * 0x9E3779B97F4A7C15UL;
            builder.Add(root, 2, hash);
            sums[root] = (2, hash);
        }

        var chunks = builder.Snapshot();
        var scanned = new ScannedRoots(sums);
        var verified = scanned.Verified(chunks, lastRoot: 0);
        sums[9_001] = (2, 12345);
        var afterOneChange = new ScannedRoots(sums).Verified(chunks, lastRoot: 0);

        Assert.True(chunks.Count <= ChangeCursorState.MaxChunks);
        Assert.Equal(sums.Count, verified.Count);
        Assert.DoesNotContain(9_001L, afterOneChange);
        Assert.True(sums.Count - afterOneChange.Count <= 2 * (sums.Count / ChangeCursorState.MaxChunks) + 2);
    }

    [Fact]
    public async Task A_cursor_of_the_first_version_is_carried_over_without_reading_everything_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero));
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { TimeProvider = clock }, o => o.DeleteCheckEveryPolls = 1);
        var old = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Before the upgrade", IsCompany = true });
        clock.Advance(TimeSpan.FromHours(1));
        var gone = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Deleted during the upgrade", IsCompany = true });
        clock.Advance(TimeSpan.FromHours(1));
        odoo.Simulator.DeletePartner(gone);
        var renamed = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "After the upgrade", IsCompany = true });
        var json = $$"""{"max":"2026-03-01 12:00:00","lo":null,"hi":0,"after":0,"polls":3,"seen":{},"known":[{{old}},{{gone}}]}""";
        var legacy = new ChangeCursor("o1." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)));

        var changes = new List<CustomerChange>();
        await foreach (var change in odoo.Connector.ReadChangesAsync(legacy))
        {
            changes.Add(change);
        }

        Assert.Contains(changes, c => c.Kind == ChangeKind.Deleted && c.ExternalId == gone.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(changes, c => c.Kind == ChangeKind.Upserted && c.ExternalId == renamed.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(changes, c => c.ExternalId == old.ToString(CultureInfo.InvariantCulture));
        Assert.StartsWith("o2.", changes[^1].Cursor.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_cursor_is_a_configuration_error_not_a_crash()
    {
        await using var odoo = OdooFixture.Start();
        var truncated = new ChangeCursor("o2." + Base64Url.EncodeToString([2, 1]));

        var error = await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(async () =>
        {
            await foreach (var change in odoo.Connector.ReadChangesAsync(truncated))
            {
                Assert.Fail($"Unexpected change {change.ExternalId}.");
            }
        });

        Assert.Equal(Concord.Canonical.Errors.ErrorCategory.Configuration, error.Category);
    }
}
