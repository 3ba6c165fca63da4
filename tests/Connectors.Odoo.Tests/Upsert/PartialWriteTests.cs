using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Upsert;

/// <summary>
/// Issue 13 §2: companies, contacts and addresses go in separate <c>load</c> calls; when a later one fails for good,
/// what was written is reported per record, and upserting again finishes the customers' missing children.
/// </summary>
public sealed class PartialWriteTests
{
    [Fact]
    public async Task When_the_second_load_of_a_batch_fails_the_batches_written_before_keep_their_results_and_the_rest_fail_alone()
    {
        await using var odoo = OdooFixture.Start(configure: o =>
        {
            o.BatchSize = 5;
            o.Resilience.MaxRetryAttempts = 1;
        });
        var requests = Enumerable.Range(0, 10).Select(i => Customers.Request(Customers.Company($"part-{i}", name: $"Part {i}", vat: null, email: $"p{i}@example.com", withBilling: true))).ToList();

        // Batch 1 goes through (companies, contacts, addresses); batch 2's companies are saved, its contacts' load fails for good.
        var loads = 0;
        odoo.Simulator.Faults.FailNext(100, 503, when: r => OdooSimulator.IsCall(r, "res.partner", "load") && Interlocked.Increment(ref loads) >= 5);

        var results = await odoo.Connector.UpsertManyAsync(requests);

        Assert.All(results.Take(5), r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        Assert.All(results.Take(5), r => Assert.False(r.MayHaveApplied));
        Assert.All(results.Skip(5), r =>
        {
            Assert.Equal(UpsertOutcome.Failed, r.Outcome);
            Assert.Equal(ErrorCategory.Transient, r.Error!.Category);
            Assert.Contains("saved", r.Error.Message, StringComparison.Ordinal);
            Assert.True(r.MayHaveApplied, "a customer saved in part must say so, so the engine keeps its intent");
        });
        Assert.Equal(10, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(10, odoo.PartnerCount(p => p.Type == "contact" && p.ParentId is not null));
        Assert.Equal(5, odoo.PartnerCount(p => p.Type == "invoice"));
    }

    [Fact]
    public async Task Upserting_a_partly_written_customer_again_writes_its_missing_contacts_and_addresses()
    {
        await using var odoo = OdooFixture.Start(configure: o => o.Resilience.MaxRetryAttempts = 1);
        var requests = Enumerable.Range(0, 4).Select(i => Customers.Request(Customers.Company($"finish-{i}", name: $"Finish {i}", vat: null, email: $"f{i}@example.com", withBilling: true))).ToList();
        var loads = 0;
        // The companies' load goes through; the contacts' load and its one retry fail.
        odoo.Simulator.Faults.FailNext(100, 503, when: r => OdooSimulator.IsCall(r, "res.partner", "load") && Interlocked.Increment(ref loads) is 2 or 3);

        var first = await odoo.Connector.UpsertManyAsync(requests);
        odoo.Simulator.Faults.Clear();
        var second = await odoo.Connector.UpsertManyAsync(requests);
        var third = await odoo.Connector.UpsertManyAsync(requests);

        Assert.All(first, r => Assert.Equal(ErrorCategory.Transient, r.Error!.Category));
        Assert.All(second, r => Assert.Equal(UpsertOutcome.Updated, r.Outcome));
        Assert.All(second, r => Assert.Equal(2, r.ContactExternalIds.Count));
        Assert.All(third, r => Assert.Equal(UpsertOutcome.Unchanged, r.Outcome));
        Assert.Equal(4, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(8, odoo.PartnerCount(p => p.Type == "contact" && p.ParentId is not null));
        Assert.Equal(4, odoo.PartnerCount(p => p.Type == "invoice"));
        foreach (var result in second)
        {
            Assert.All(result.ContactExternalIds.Values, id => Assert.Equal(long.Parse(result.ExternalId!, System.Globalization.CultureInfo.InvariantCulture), odoo.Simulator.Partner(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture))!.ParentId));
        }
    }

    [Fact]
    public async Task A_failure_before_anything_was_written_still_fails_the_whole_call()
    {
        await using var odoo = OdooFixture.Start(configure: o => o.Resilience.MaxRetryAttempts = 1);
        odoo.Simulator.Faults.FailNext(100, 503, when: r => OdooSimulator.IsCall(r, "res.partner", "load"));

        var error = await Assert.ThrowsAsync<ConcordException>(() => odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("nothing-yet"))]));

        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.Equal(0, odoo.PartnerCount());
    }
}
