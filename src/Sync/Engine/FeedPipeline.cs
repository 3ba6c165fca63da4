using System.Threading.Channels;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Sync.Engine;

/// <summary>
/// Reads a change feed in pages and runs a page's two stages as a pipeline: while one page is written (identity, targets,
/// commit: in feed order, one page at a time), the next page is read from the source and prepared (normalised and
/// validated, which reads no state) on another thread. At most one prepared page waits, so memory stays at a few pages
/// however long the feed.
/// </summary>
internal static class FeedPipeline
{
    /// <summary>Runs the feed through <paramref name="process"/> until it ends, <paramref name="process"/> returns false, or a read fails.</summary>
    /// <param name="changes">The source's change feed.</param>
    /// <param name="pageSize">Records per page.</param>
    /// <param name="prepare">The first stage; must not read or write state.</param>
    /// <param name="process">The second stage, called in feed order; returns false to stop reading.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The read failure that ended the feed early (every page read before it was processed), or null.</returns>
    public static async Task<ConcordException?> RunAsync(
        IAsyncEnumerable<CustomerChange> changes,
        int pageSize,
        Func<IReadOnlyList<IncomingRecord>, CancellationToken, PreparedPage> prepare,
        Func<PreparedPage, Task<bool>> process,
        CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<PreparedPage>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(changes, pageSize, prepare, pages.Writer, stop.Token), CancellationToken.None);
        try
        {
            // The producer always completes the channel, so this loop ends when it does, whatever the reason.
            await foreach (var page in pages.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (!await process(page).ConfigureAwait(false))
                {
                    await StopAsync(stop, producer).ConfigureAwait(false);
                    return null;
                }
            }
        }
        catch
        {
            // The processing stage failed (or was cancelled): its exception is the one that counts.
            await StopAsync(stop, producer).ConfigureAwait(false);
            throw;
        }

        // The channel is complete: the producer has finished, and its own failure (not a read failure) surfaces here.
        return await producer.ConfigureAwait(false);
    }

    private static async Task<ConcordException?> ProduceAsync(
        IAsyncEnumerable<CustomerChange> changes,
        int pageSize,
        Func<IReadOnlyList<IncomingRecord>, CancellationToken, PreparedPage> prepare,
        ChannelWriter<PreparedPage> pages,
        CancellationToken cancellationToken)
    {
        try
        {
            var page = new List<IncomingRecord>(pageSize);
            ConcordException? readFailure = null;
            var enumerator = changes.GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (ConcordException exception)
                    {
                        // Whatever was read before the failure is still processed; the run then stops with the reason.
                        readFailure = exception;
                        break;
                    }

                    var change = enumerator.Current;
                    page.Add(new IncomingRecord(change.Kind, change.ExternalId, change.Customer, change.ModifiedAt, change.Cursor) { MergedIntoExternalId = change.MergedIntoExternalId });
                    if (page.Count >= pageSize)
                    {
                        await pages.WriteAsync(prepare(page, cancellationToken), cancellationToken).ConfigureAwait(false);
                        page = new List<IncomingRecord>(pageSize);
                    }
                }
            }

            if (page.Count > 0)
            {
                await pages.WriteAsync(prepare(page, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            return readFailure;
        }
        finally
        {
            pages.TryComplete();
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task producer)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await producer.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopped on purpose, or failed after the run had already ended: nothing it read is processed, so nothing is lost.
        }
    }
}
