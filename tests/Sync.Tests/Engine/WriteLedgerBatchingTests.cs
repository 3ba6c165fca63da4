using Concord.Sync.Storage;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

public sealed class WriteLedgerBatchingTests
{
    [Fact]
    public async Task The_write_ledger_is_called_once_per_page_and_step_not_once_per_record()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp", maxBatchSize: 10);
        var ledger = new CountingLedger();
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp").Configure(o => o.PageSize = 20)),
            s => s.AddSingleton<IWriteLedger>(ledger),
            crm,
            erp);
        for (var i = 0; i < 40; i++)
        {
            crm.Emit(Customers.Company(i, taxId: $"DE1000000{i:D2}"), harness.Time.GetUtcNow());
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(40, summary.Created);
        Assert.Equal((2, 2, 4, 2), (ledger.AcquireCalls, ledger.IntentCalls, ledger.ResultCalls, ledger.SettleCalls));
        Assert.Equal(40, ledger.Settled);
        Assert.Equal(0, ledger.PendingCalls);
        Assert.Equal(0, ledger.RenewCalls); // a wave that ends well within its lease renews nothing
    }

    [Fact]
    public async Task Records_the_target_already_has_are_checked_for_pending_writes_once_per_page_and_take_no_lease()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp", maxBatchSize: 10);
        var ledger = new CountingLedger();
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp").Configure(o => o.PageSize = 20)),
            s => s.AddSingleton<IWriteLedger>(ledger),
            crm,
            erp);
        for (var i = 0; i < 40; i++)
        {
            crm.Emit(Customers.Company(i, taxId: $"DE1000000{i:D2}"), harness.Time.GetUtcNow(), id: $"r{i}");
        }

        await harness.Flow().RunOnceAsync();
        for (var i = 0; i < 40; i++)
        {
            crm.Emit(Customers.Company(i, taxId: $"DE1000000{i:D2}"), harness.Time.GetUtcNow(), id: $"r{i}");
        }

        var (acquired, reads) = (ledger.AcquireCalls, erp.GetManyCalls);
        var again = await harness.Flow().RunOnceAsync();

        Assert.Equal(40, again.Unchanged);
        Assert.Equal((2, 40), (ledger.PendingCalls, ledger.PendingAsked));
        Assert.Equal((acquired, reads), (ledger.AcquireCalls, erp.GetManyCalls));
    }

    private sealed class CountingLedger : IWriteLedger
    {
        private readonly InMemoryWriteLedger _inner = new();

        public int AcquireCalls { get; private set; }

        public int IntentCalls { get; private set; }

        public int ResultCalls { get; private set; }

        public int SettleCalls { get; private set; }

        public int Settled { get; private set; }

        public int PendingCalls { get; private set; }

        public int PendingAsked { get; private set; }

        public Task<IReadOnlyList<WriteLease>> AcquireAsync(IReadOnlyList<WriteLeaseRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            AcquireCalls++;
            return _inner.AcquireAsync(requests, lease, cancellationToken);
        }

        public int RenewCalls { get; private set; }

        public Task<IReadOnlyList<bool>> RenewAsync(IReadOnlyList<WriteLeaseRenewal> renewals, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            RenewCalls++;
            return _inner.RenewAsync(renewals, lease, cancellationToken);
        }

        public Task<IReadOnlyList<bool>> RecordIntentsAsync(IReadOnlyList<WriteIntent> intents, CancellationToken cancellationToken = default)
        {
            IntentCalls++;
            return _inner.RecordIntentsAsync(intents, cancellationToken);
        }

        public Task RecordResultsAsync(IReadOnlyList<WriteResult> results, CancellationToken cancellationToken = default)
        {
            ResultCalls++;
            return _inner.RecordResultsAsync(results, cancellationToken);
        }

        public Task SettleAsync(IReadOnlyList<WriteSettlement> settlements, CancellationToken cancellationToken = default)
        {
            SettleCalls++;
            Settled += settlements.Count;
            return _inner.SettleAsync(settlements, cancellationToken);
        }

        public Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken = default)
        {
            PendingCalls++;
            PendingAsked += canonicalIds.Count;
            return _inner.FindPendingAsync(target, canonicalIds, cancellationToken);
        }

        public Task<WriteLedgerEntry?> GetAsync(string canonicalId, string target, CancellationToken cancellationToken = default) =>
            _inner.GetAsync(canonicalId, target, cancellationToken);
    }
}
