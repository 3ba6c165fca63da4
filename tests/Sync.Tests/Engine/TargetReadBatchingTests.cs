using System.Globalization;
using Concord.Canonical.Errors;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

public sealed class TargetReadBatchingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(int erpBatch = 10)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp", erpBatch);
        var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp").WhenTargetUnavailable(TargetPolicy.Defer)), null, crm, erp);
        return (harness, crm, erp);
    }

    private static string Domain(int n) => string.Create(CultureInfo.InvariantCulture, $"company-{n}.example");

    [Fact]
    public async Task New_records_are_matched_with_one_batch_search_per_chunk_of_the_target_batch_size()
    {
        var (harness, crm, erp) = Create(erpBatch: 10);
        using var _ = harness;
        for (var i = 0; i < 25; i++)
        {
            crm.Emit(Customers.Company(i, domain: Domain(i)), T0);
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(25, summary.Created);
        Assert.Equal((3, 0), (erp.FindManyCalls, erp.FindCalls));
    }

    [Fact]
    public async Task Records_the_target_already_has_are_read_with_one_batch_read_per_chunk()
    {
        var (harness, crm, erp) = Create(erpBatch: 10);
        using var _ = harness;
        var ids = Enumerable.Range(0, 25).Select(i => crm.Emit(Customers.Company(i, domain: Domain(i)), T0)).ToList();
        await harness.Flow().RunOnceAsync();

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            crm.Emit(Customers.Company(i, domain: Domain(i)) with { Name = "Renamed " + id }, T0.AddHours(1), id);
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(25, summary.Updated);
        Assert.Equal((3, 0), (erp.GetManyCalls, erp.GetCalls));
        Assert.All(erp.Records.Values, r => Assert.StartsWith("Renamed ", r.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_search_the_target_refuses_is_retried_record_by_record_and_only_the_refused_record_fails()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.RefuseSearchesFor(Domain(3));
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i, domain: Domain(i)), T0);
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((4, 1, 0), (summary.Created, summary.DeadLettered, summary.Deferred));
        Assert.Equal((1, 5), (erp.FindManyCalls, erp.FindCalls));
        Assert.DoesNotContain(erp.Records.Values, r => r.Domain == Domain(3));
    }

    [Fact]
    public async Task A_batch_read_that_fails_for_the_whole_target_pauses_it_without_reading_record_by_record()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.FailBatchReads(ErrorCategory.Transient);
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i, domain: Domain(i)), T0);
        }

        var down = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var retried = await harness.Flow().RunOnceAsync();

        Assert.Equal((0, 0, true), (down.Deferred, down.Created, down.Stopped));
        Assert.Empty(await harness.DeadLettersAsync());
        Assert.Equal(0, erp.FindCalls);
        Assert.Equal(5, retried.Created);
    }
}
