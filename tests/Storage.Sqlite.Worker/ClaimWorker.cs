using System.Collections.Concurrent;
using Concord.Connectors;
using Concord.Idempotency;

namespace Concord.Storage.Sqlite.Worker;

/// <summary>
/// Claims keys key-0000 .. key-{n-1} in order with several concurrent loops; for each claim it acquires, it records the
/// key and completes it with an external id naming <c>owner</c>. Shared by the test process and the child process.
/// </summary>
public static class ClaimWorker
{
    /// <summary>The fingerprint every claim uses.</summary>
    public const string Fingerprint = "fp-two-process";

    /// <summary>The key of index <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The key.</returns>
    public static IdempotencyKey Key(int index) => IdempotencyKey.From(FormattableString.Invariant($"key-{index:D4}"));

    /// <summary>Runs <paramref name="loops"/> claim loops over <paramref name="keyCount"/> keys.</summary>
    /// <param name="store">The store.</param>
    /// <param name="keyCount">How many keys.</param>
    /// <param name="loops">How many concurrent loops.</param>
    /// <param name="owner">The name written into each external id.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The keys this run acquired, each as often as it acquired it.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(IIdempotencyStore store, int keyCount, int loops, string owner, CancellationToken cancellationToken = default)
    {
        var acquired = new ConcurrentQueue<string>();
        var tasks = Enumerable.Range(0, loops).Select(_ => Task.Run(
            async () =>
            {
                for (var i = 0; i < keyCount; i++)
                {
                    var key = Key(i);
                    var claim = await store.TryClaimAsync(key, Fingerprint, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
                    if (claim.Status == IdempotencyClaimStatus.Acquired)
                    {
                        acquired.Enqueue(key.Value);
                        await store.CompleteAsync(claim, new IdempotencyResult($"{owner}:{key.Value}", UpsertOutcome.Created), cancellationToken).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return [.. acquired];
    }
}
