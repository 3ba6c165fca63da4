using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Testing;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Conformance;

/// <summary>The shared connector contract, run against the Salesforce connector and simulator.</summary>
public sealed class SalesforceConformanceTests : CustomerConnectorConformanceTests
{
    private SalesforceSimulator? _simulator;
    private TestConnector<ISalesforceConnector>? _connector;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _simulator = new SalesforceSimulator();
        _connector = _simulator.CreateConnector();
        return Task.FromResult<ICustomerConnector>(_connector.Connector);
    }

    protected override IReadOnlyList<SentRequest> SentRequests() =>
        [.. _simulator!.Journal.Entries.Select(e => new SentRequest(e.Method, e.Path, e.Headers, e.Body))];

    protected override async Task DisposeConnectorAsync()
    {
        if (_connector is not null)
        {
            await _connector.DisposeAsync();
        }

        _simulator?.Dispose();
    }

    // An Account and Contact made in Salesforce by a person: no Concord_Id__c on either.
    protected override Task<string> CreateUnlinkedRecordAsync(CanonicalCustomer customer)
    {
        var account = _simulator!.SeedAccount(null, customer.Name, new Dictionary<string, object?> { ["Website"] = customer.Website });
        foreach (var contact in customer.Contacts)
        {
            _simulator.SeedContact(account, null, contact.FamilyName ?? contact.Name, new Dictionary<string, object?> { ["FirstName"] = contact.GivenName });
        }

        return Task.FromResult(account);
    }

    // Account.Industry and Account.AccountNumber are the custom attributes the connector maps.
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("industry", "Manufacturing").Add("accountNumber", "CONF-1");

    // Account.Name is at most 255 characters: Salesforce answers STRING_TOO_LONG for this record only.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Name = new string('x', 300) };
}
