using Concord.Canonical.Errors;
using Concord.Sync.DeadLetters;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// The contract of dead-letter claims (<see cref="IDeadLetterStore.ClaimAsync"/>): of several instances retrying or
/// replaying at once, only one works each open entry. Run against each store by a subclass; every <see cref="Open"/> is
/// another instance on the same state.
/// </summary>
public abstract class DeadLetterClaimContractTests : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(5);

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens another handle (as another process would) on this test's state, on <see cref="Clock"/>.</summary>
    protected abstract IDeadLetterStore Open();

    protected virtual void Dispose(bool disposing)
    {
    }

    [Fact]
    public async Task An_entry_claimed_by_one_instance_is_skipped_by_another_until_released()
    {
        var (a, b) = (Open(), Open());
        await a.SaveAsync([Letter("dl-1"), Letter("dl-2")]);

        var first = await a.ClaimAsync(["dl-1", "dl-2"], "a", Duration);
        var second = await b.ClaimAsync(["dl-1", "dl-2"], "b", Duration);
        await a.ReleaseAsync(["dl-1"], "a");
        var afterRelease = await b.ClaimAsync(["dl-1", "dl-2"], "b", Duration);

        Assert.Equal(["dl-1", "dl-2"], first.Select(d => d.Id));
        Assert.Empty(second);
        Assert.Equal(["dl-1"], afterRelease.Select(d => d.Id));
    }

    [Fact]
    public async Task A_claim_that_ran_out_can_be_taken_by_another_instance()
    {
        var (a, b) = (Open(), Open());
        await a.SaveAsync([Letter("dl-1")]);
        await a.ClaimAsync(["dl-1"], "a", Duration);

        Clock.Advance(Duration - TimeSpan.FromSeconds(1));
        var early = await b.ClaimAsync(["dl-1"], "b", Duration);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var late = await b.ClaimAsync(["dl-1"], "b", Duration);

        Assert.Empty(early);
        Assert.Equal("dl-1", Assert.Single(late).Id);
    }

    [Fact]
    public async Task Only_open_entries_are_claimed_and_unknown_ids_are_ignored()
    {
        var a = Open();
        await a.SaveAsync([Letter("deferred"), Letter("dead", DeadLetterStatus.DeadLettered), Letter("resolved", DeadLetterStatus.Resolved), Letter("discarded", DeadLetterStatus.Discarded)]);

        var claimed = await a.ClaimAsync(["deferred", "dead", "resolved", "discarded", "unknown"], "a", Duration);

        Assert.Equal(["dead", "deferred"], claimed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, claimed.Single(d => d.Id == "deferred").Attempts);
    }

    [Fact]
    public async Task Releasing_another_instances_claim_changes_nothing()
    {
        var (a, b) = (Open(), Open());
        await a.SaveAsync([Letter("dl-1")]);
        await a.ClaimAsync(["dl-1"], "a", Duration);

        await b.ReleaseAsync(["dl-1"], "b");

        Assert.Empty(await b.ClaimAsync(["dl-1"], "b", Duration));
    }

    [Fact]
    public async Task Instances_claiming_the_same_entries_at_once_never_share_one()
    {
        var handles = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        var ids = Enumerable.Range(0, 120).Select(i => $"dl-{i:D3}").ToList();
        await handles[0].SaveAsync([.. ids.Select(id => Letter(id))]);

        var claims = await Task.WhenAll(handles.Select((h, i) => Task.Run(async () =>
        {
            var mine = new List<string>();
            foreach (var chunk in ids.Chunk(10))
            {
                mine.AddRange((await h.ClaimAsync(chunk, $"instance-{i}", Duration)).Select(d => d.Id));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids, all.Order(StringComparer.Ordinal));
    }

    private DeadLetter Letter(string id, DeadLetterStatus status = DeadLetterStatus.Deferred) => new()
    {
        Id = id,
        Flow = "flow",
        SourceSystem = "salesforce",
        SourceExternalId = "001" + id,
        TargetSystem = "odoo",
        Category = ErrorCategory.Transient,
        Reason = "odoo answered 503",
        Payload = "{\"name\":\"x\"}",
        CorrelationId = "run-1",
        Status = status,
        Attempts = 2,
        FirstFailedAt = Clock.GetUtcNow(),
        LastFailedAt = Clock.GetUtcNow(),
    };
}
