using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;

namespace Concord.Storage.Sqlite.Worker;

/// <summary>
/// Claims keys key-0000 .. key-{n-1} with several concurrent loops, in order or in reverse. For each claim it acquires it
/// "writes" (appends the key to an acquisitions file and flushes it to disk, as a vendor call would take a moment outside
/// the database lock) and then completes the claim with an external id naming <c>owner</c>. Shared by the test process and
/// the child process, which walk the keys in opposite directions so that they meet, and contend, wherever the faster one got to.
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
    /// <param name="reverse">Whether to walk the keys from the last to the first.</param>
    /// <param name="acquisitionsFile">The file each acquired key is appended to, one line each, as soon as it is acquired.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How many keys this run acquired.</returns>
    public static async Task<int> RunAsync(IIdempotencyStore store, int keyCount, int loops, string owner, bool reverse, string acquisitionsFile, CancellationToken cancellationToken = default)
    {
        var acquired = 0;
        using var fileGate = new SemaphoreSlim(1, 1);
        await using var file = new FileStream(acquisitionsFile, FileMode.Append, FileAccess.Write, FileShare.Read);
        await using var writer = new StreamWriter(file);

        var tasks = Enumerable.Range(0, loops).Select(_ => Task.Run(
            async () =>
            {
                for (var n = 0; n < keyCount; n++)
                {
                    var key = Key(reverse ? keyCount - 1 - n : n);
                    var claim = await store.TryClaimAsync(key, Fingerprint, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
                    if (claim.Status != IdempotencyClaimStatus.Acquired)
                    {
                        continue;
                    }

                    await fileGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await writer.WriteLineAsync(key.Value.AsMemory(), cancellationToken).ConfigureAwait(false);
                        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                        file.Flush(flushToDisk: true);
                        acquired++;
                    }
                    finally
                    {
                        fileGate.Release();
                    }

                    await store.CompleteAsync(claim, new IdempotencyResult($"{owner}:{key.Value}", UpsertOutcome.Created), cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return acquired;
    }
}
