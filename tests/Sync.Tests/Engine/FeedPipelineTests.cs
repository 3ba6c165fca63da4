using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Engine;
using Concord.Sync.Tests.Engine.Fakes;
using Xunit;

namespace Concord.Sync.Tests.Engine;

public sealed class FeedPipelineTests
{
    private const int PageSize = 10;

    [Fact]
    public async Task Every_change_is_processed_once_in_feed_order_in_pages_of_the_page_size()
    {
        var feed = new CountingFeed(95);
        var processed = new List<string>();
        var pageSizes = new List<int>();

        var failure = await FeedPipeline.RunAsync(feed.ReadAsync(), PageSize, Prepare, page =>
        {
            pageSizes.Add(page.Works.Count);
            processed.AddRange(page.Works.Select(w => w.Incoming.SourceExternalId));
            return Task.FromResult(true);
        }, CancellationToken.None);

        Assert.Null(failure);
        Assert.Equal(Enumerable.Range(0, 95).Select(Id), processed);
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 5], pageSizes);
        Assert.True(feed.Disposed);
    }

    [Fact]
    public async Task The_next_page_is_prepared_while_a_page_is_processed_but_never_more_than_one_page_waits()
    {
        // A feed that never yields: a reader not held back by the bound would race through all ten pages at once.
        var feed = new CountingFeed(100) { Yields = false };
        var prepared = 0;
        var mostAhead = 0;
        var secondPageReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processedPages = 0;

        await FeedPipeline.RunAsync(
            feed.ReadAsync(),
            PageSize,
            (page, ct) =>
            {
                if (Interlocked.Increment(ref prepared) == 2)
                {
                    secondPageReady.SetResult();
                }

                return Prepare(page, ct);
            },
            async page =>
            {
                if (processedPages == 0)
                {
                    // The first page's processing does not finish until the second page has been prepared beside it.
                    await secondPageReady.Task.WaitAsync(TimeSpan.FromSeconds(30));
                }

                // Prepared pages beyond this one: one waiting in the channel, one the producer holds while it waits.
                mostAhead = Math.Max(mostAhead, Volatile.Read(ref prepared) - processedPages - 1);
                processedPages++;
                await Task.Yield();
                return true;
            },
            CancellationToken.None);

        Assert.Equal(10, processedPages);
        Assert.InRange(mostAhead, 1, 2);
    }

    [Fact]
    public async Task When_processing_asks_to_stop_no_further_page_is_processed_and_the_feed_is_not_read_to_its_end()
    {
        var feed = new CountingFeed(1_000);
        var processedPages = 0;

        var failure = await FeedPipeline.RunAsync(feed.ReadAsync(), PageSize, Prepare, _ =>
        {
            processedPages++;
            return Task.FromResult(processedPages < 2);
        }, CancellationToken.None);

        Assert.Null(failure);
        Assert.Equal(2, processedPages);
        Assert.InRange(feed.Served, 20, 40);
        Assert.True(feed.Disposed);
    }

    [Fact]
    public async Task A_read_failure_ends_the_feed_after_every_change_read_before_it_is_processed_and_is_returned()
    {
        var feed = new CountingFeed(100) { FailAfter = 25 };
        var processed = new List<string>();

        var failure = await FeedPipeline.RunAsync(feed.ReadAsync(), PageSize, Prepare, page =>
        {
            processed.AddRange(page.Works.Select(w => w.Incoming.SourceExternalId));
            return Task.FromResult(true);
        }, CancellationToken.None);

        Assert.NotNull(failure);
        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.Equal(Enumerable.Range(0, 25).Select(Id), processed);
    }

    [Fact]
    public async Task A_processing_failure_propagates_unchanged_and_stops_the_reader()
    {
        var feed = new CountingFeed(1_000);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => FeedPipeline.RunAsync(
            feed.ReadAsync(),
            PageSize,
            Prepare,
            _ => throw new InvalidOperationException("the write stage failed"),
            CancellationToken.None));

        Assert.Equal("the write stage failed", thrown.Message);
        Assert.True(feed.Disposed);
        Assert.InRange(feed.Served, 10, 30);
    }

    [Fact]
    public async Task An_unexpected_reader_failure_propagates_after_the_pages_read_before_it()
    {
        var feed = new CountingFeed(100) { FailAfter = 15, FailWith = () => new FormatException("bad feed") };
        var processed = 0;

        var thrown = await Assert.ThrowsAsync<FormatException>(() => FeedPipeline.RunAsync(feed.ReadAsync(), PageSize, Prepare, page =>
        {
            processed += page.Works.Count;
            return Task.FromResult(true);
        }, CancellationToken.None));

        Assert.Equal("bad feed", thrown.Message);
        Assert.Equal(10, processed);
    }

    [Fact]
    public async Task Cancellation_stops_both_stages_with_an_OperationCanceledException()
    {
        var feed = new CountingFeed(1_000);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FeedPipeline.RunAsync(feed.ReadAsync(cancellation.Token), PageSize, Prepare, async _ =>
        {
            await cancellation.CancelAsync();
            cancellation.Token.ThrowIfCancellationRequested();
            return true;
        }, cancellation.Token));

        Assert.True(feed.Disposed);
        Assert.True(feed.Served < 1_000);
    }

    private static string Id(int i) => "r-" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static PreparedPage Prepare(IReadOnlyList<IncomingRecord> page, CancellationToken cancellationToken) =>
        new([.. page.Select((r, i) => new RecordWork(r, i, "dl-" + r.SourceExternalId))]);

    private sealed class CountingFeed(int count)
    {
        private int _served;

        public int? FailAfter { get; init; }

        public Func<Exception> FailWith { get; init; } = () => new ConcordException(ErrorCategory.Transient, "The feed page failed.") { System = "crm", Operation = "read-changes" };

        public bool Yields { get; init; } = true;

        public int Served => Volatile.Read(ref _served);

        public bool Disposed { get; private set; }

        public async IAsyncEnumerable<CustomerChange> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (i == FailAfter)
                    {
                        throw FailWith();
                    }

                    if (Yields)
                    {
                        await Task.Yield();
                    }

                    Interlocked.Increment(ref _served);
                    yield return new CustomerChange
                    {
                        Kind = ChangeKind.Upserted,
                        ExternalId = Id(i),
                        Customer = Customers.Company(i),
                        ModifiedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                        Cursor = new ChangeCursor((i + 1).ToString(CultureInfo.InvariantCulture)),
                    };
                }
            }
            finally
            {
                Disposed = true;
            }
        }
    }
}
