using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>
/// Deleted rows stay readable only while they are in the Recycle Bin: a first read emits no deletions of records nobody
/// synchronised, and a cursor older than what Salesforce still knows about deletions is refused, not silently short.
/// </summary>
public sealed class DeletionLogTests : SimulatedFeedTests
{
    [Fact]
    public async Task The_first_read_emits_no_deletions_of_records_never_synchronised()
    {
        Sim.SeedAccount("live-1", "Live");
        var gone = Sim.SeedAccount("gone-1", "Deleted before anyone synchronised it");
        var merged = Sim.SeedAccount("gone-2", "Merged before anyone synchronised it");
        Sim.DeleteRecord(gone);
        Sim.MergeRecords(Sim.Accounts[0].Id, merged);
        await using var sf = Sim.CreateConnector(services: UseClock);

        var changes = await ReadAsync(sf.Connector, null);

        Assert.All(changes, c => Assert.Equal(ChangeKind.Upserted, c.Kind));
        Assert.DoesNotContain(changes, c => c.ExternalId == gone || c.ExternalId == merged);
    }

    [Fact]
    public async Task A_cursor_older_than_the_recycle_bin_is_refused_with_a_reconciliation_hint()
    {
        Sim.SeedAccount("old-1", "Kept");
        var doomed = Sim.SeedAccount("old-2", "Deleted while nobody read the feed");
        await using (var before = Sim.CreateConnector(services: UseClock))
        {
            var first = await ReadAsync(before.Connector, null);
            Clock.Advance(TimeSpan.FromDays(1));
            Sim.DeleteRecord(doomed);
            Clock.Advance(TimeSpan.FromDays(20)); // the Recycle Bin keeps deletions 15 days
            _cursor = first[^1].Cursor;
        }

        await using var sf = Sim.CreateConnector(services: UseClock); // a process started later
        var error = await Assert.ThrowsAsync<ConcordException>(() => ReadAsync(sf.Connector, _cursor));

        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.False(error.IsRetryable);
        Assert.Contains("ReconcileAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-24T10:00:00", error.Message, StringComparison.Ordinal); // purged up to the deletion
        Assert.Contains("ToleratePurgedDeletions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_emptied_recycle_bin_after_the_cursor_is_detected()
    {
        Sim.SeedAccount("bin-1", "Kept");
        var doomed = Sim.SeedAccount("bin-2", "Deleted");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromHours(3)); // the feed was not read for three hours

        Sim.DeleteRecord(doomed);
        Sim.EmptyRecycleBin();

        var error = await Assert.ThrowsAsync<ConcordException>(() => ReadAsync(sf.Connector, first[^1].Cursor));
        Assert.Contains("Account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quiet_feed_read_regularly_is_never_refused_and_asks_the_delete_log_once_per_process()
    {
        Sim.SeedAccount("quiet-1", "Quiet");
        await using var sf = Sim.CreateConnector(services: UseClock);
        var cursor = (await ReadAsync(sf.Connector, null))[^1].Cursor;

        for (var hour = 0; hour < 24 * 20; hour++)
        {
            Clock.Advance(TimeSpan.FromHours(1));
            Assert.Empty(await ReadAsync(sf.Connector, cursor)); // no change: the engine keeps the same cursor
        }

        await using var restarted = Sim.CreateConnector(services: UseClock);
        Assert.Empty(await ReadAsync(restarted.Connector, cursor));

        // Nothing was ever purged after the cursor, so the restarted process's one look at the log finds no gap.
        Assert.Single(Sim.Journal.Where(e => e.Path.Contains("/deleted", StringComparison.Ordinal))); // Account, once (the org has no Contact, so no Contact window to check)
    }

    [Fact]
    public async Task With_ToleratePurgedDeletions_the_feed_reads_on_and_logs_the_gap()
    {
        Sim.SeedAccount("tol-1", "Kept");
        var doomed = Sim.SeedAccount("tol-2", "Deleted");
        await using var sf = Sim.CreateConnector(
            o => o.ToleratePurgedDeletions = true,
            services: s =>
            {
                UseClock(s);
                s.AddLogging(b => b.AddFakeLogging());
            });
        var first = await ReadAsync(sf.Connector, null);
        Clock.Advance(TimeSpan.FromHours(3));
        Sim.DeleteRecord(doomed);
        Sim.EmptyRecycleBin();
        var edited = Sim.SeedAccount("tol-3", "New");

        var changes = await ReadAsync(sf.Connector, first[^1].Cursor);

        Assert.Equal(edited, Assert.Single(changes).ExternalId);
        Assert.Contains(sf.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("purged", StringComparison.Ordinal));
    }

    private ChangeCursor? _cursor;
}
