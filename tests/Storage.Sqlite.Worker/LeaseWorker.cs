using System.Globalization;
using Concord.Sync.Storage;

namespace Concord.Storage.Sqlite.Worker;

/// <summary>
/// Takes write leases for customers <c>{owner}-0000</c> .. on target <c>odoo</c>, each locking match key <c>tax:DE:{i}</c>,
/// in batches of <see cref="BatchSize"/> a few milliseconds apart, and never gives them back. Two processes with different owners contend for the
/// same keys: each key must be acquired by exactly one of them. Shared by the test process and the child process, which
/// walk the keys in opposite directions.
/// </summary>
public static class LeaseWorker
{
    /// <summary>Leases per ledger call.</summary>
    public const int BatchSize = 10;

    /// <summary>The match key of index <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The key.</returns>
    public static string Key(int index) => string.Create(CultureInfo.InvariantCulture, $"tax:DE:{index:D4}");

    /// <summary>Takes the leases and appends each key acquired to <paramref name="acquisitionsFile"/>.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="keyCount">How many keys.</param>
    /// <param name="owner">The prefix of this process's canonical ids.</param>
    /// <param name="reverse">Whether to walk the keys from the last to the first.</param>
    /// <param name="acquisitionsFile">The file each acquired key is appended to.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How many keys this run acquired.</returns>
    public static async Task<int> RunAsync(IWriteLedger ledger, int keyCount, string owner, bool reverse, string acquisitionsFile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var order = Enumerable.Range(0, keyCount).Select(n => reverse ? keyCount - 1 - n : n).ToList();
        var acquired = new List<string>();
        foreach (var batch in order.Chunk(BatchSize))
        {
            var requests = batch.Select(i => new WriteLeaseRequest
            {
                CanonicalId = string.Create(CultureInfo.InvariantCulture, $"{owner}-{i:D4}"),
                Target = "odoo",
                MatchKeys = [Key(i)],
            }).ToList();
            var leases = await ledger.AcquireAsync(requests, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            acquired.AddRange(batch.Where((_, n) => leases[n].Status == WriteLeaseStatus.Acquired).Select(Key));

            // A moment outside the database lock, as the vendor calls between two pages would take, so the processes interleave.
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllLinesAsync(acquisitionsFile, acquired, cancellationToken).ConfigureAwait(false);
        return acquired.Count;
    }
}
