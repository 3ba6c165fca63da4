using System.Diagnostics;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Testing.Salesforce;

namespace Concord.Benchmarks.Salesforce;

/// <summary>
/// 10,000 Accounts with 2 Contacts each into the Salesforce simulator, 50 ms latency on every call: calls made
/// (target ⌈10,000/200⌉ + ⌈20,000/200⌉ + 1 token = 151), records per second and API usage as the simulator counts it.
/// </summary>
public sealed class SalesforceUpsertScenario : IScenario
{
    public string Name => "salesforce-upsert";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var accounts = smoke ? 20 : 10_000;
        var latency = TimeSpan.FromMilliseconds(smoke ? 5 : 50);
        const int ContactsEach = 2;

        using var sim = new SalesforceSimulator();
        sim.Faults.AddLatency(latency);
        await using var sf = sim.CreateConnector();
        var requests = Enumerable.Range(1, accounts).Select(i => Request(i, ContactsEach)).ToList();
        var usageBefore = sim.ApiUsage;

        var stopwatch = Stopwatch.StartNew();
        var results = await sf.Connector.UpsertManyAsync(requests, cancellationToken);
        stopwatch.Stop();

        var failed = results.Count(r => !r.IsSuccess);
        var accountCalls = sim.Journal.Where(e => e.Path.EndsWith("/composite/sobjects/Account/Concord_Id__c", StringComparison.Ordinal)).Count;
        var contactCalls = sim.Journal.Where(e => e.Path.EndsWith("/composite/sobjects/Contact/Concord_Id__c", StringComparison.Ordinal)).Count;
        var tokenCalls = sim.TokenRequests;
        var target = Ceiling(accounts, 200) + Ceiling(accounts * ContactsEach, 200) + 1;
        var records = accounts * (1 + ContactsEach);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"accounts={accounts} contacts={accounts * ContactsEach} latency={latency.TotalMilliseconds} ms per call failed={failed}"));
        output.WriteLine(string.Create(inv, $"calls: accounts={accountCalls} contacts={contactCalls} token={tokenCalls} total={accountCalls + contactCalls + tokenCalls} (target {target})"));
        output.WriteLine(string.Create(inv, $"elapsed={stopwatch.Elapsed.TotalSeconds:F2} s records/s={records / stopwatch.Elapsed.TotalSeconds:F0}"));
        output.WriteLine(string.Create(inv, $"api usage consumed={sim.ApiUsage - usageBefore} (simulator count; connector saw {sf.Connector.ApiUsage?.Used}/{sf.Connector.ApiUsage?.Max})"));
        output.WriteLine(string.Create(inv, $"stored: accounts={sim.Accounts.Count} contacts={sim.Contacts.Count}"));
        if (failed > 0 || sim.Accounts.Count != accounts || sim.Contacts.Count != accounts * ContactsEach)
        {
            throw new InvalidOperationException("The scenario did not write every record exactly once.");
        }
    }

    private static int Ceiling(int count, int size) => (count + size - 1) / size;

    private static UpsertRequest Request(int index, int contacts)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"bench-{index}");
        return new UpsertRequest
        {
            Customer = MappingData.Customer(id, contacts),
            IdempotencyKey = IdempotencyKey.From(id),
        };
    }
}
