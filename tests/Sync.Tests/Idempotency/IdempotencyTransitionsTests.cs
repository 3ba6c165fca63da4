using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;
using Concord.Sync.Storage;
using Xunit;

namespace Concord.Sync.Tests.Idempotency;

/// <summary>The pure rules a store applies between its read and its write.</summary>
public sealed class IdempotencyTransitionsTests
{
    private static readonly IdempotencyKey Key = IdempotencyKey.From("k-1");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_claim_that_changes_nothing_asks_the_store_to_write_nothing()
    {
        var acquired = IdempotencyTransitions.Claim(null, Key, "fp", Lease, Now);
        var started = acquired.RecordToWrite!;
        var completed = IdempotencyTransitions.Complete(started, acquired.Claim, new IdempotencyResult("17", UpsertOutcome.Created), Now)!;

        Assert.Null(IdempotencyTransitions.Claim(started, Key, "fp", Lease, Now + Lease - TimeSpan.FromTicks(1)).RecordToWrite);
        Assert.Null(IdempotencyTransitions.Claim(completed, Key, "fp", Lease, Now + TimeSpan.FromDays(1)).RecordToWrite);
        Assert.NotNull(IdempotencyTransitions.Claim(started, Key, "fp", Lease, Now + Lease).RecordToWrite);
    }

    [Fact]
    public void Failure_reasons_are_cut_to_the_maximum_length()
    {
        var acquired = IdempotencyTransitions.Claim(null, Key, "fp", Lease, Now);

        var failed = IdempotencyTransitions.Fail(acquired.RecordToWrite, acquired.Claim, new string('x', 10_000), Now)!;

        Assert.Equal(IdempotencyTransitions.MaxFailureReasonLength, failed.FailureReason!.Length);
    }
}
