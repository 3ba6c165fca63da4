using System.Collections.Immutable;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Conformance;

/// <summary>The shared connector contract, run against the Odoo connector and simulator.</summary>
public sealed class OdooConformanceTests : CustomerConnectorConformanceTests
{
    private OdooFixture? _fixture;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _fixture = OdooFixture.Start();
        return Task.FromResult<ICustomerConnector>(_fixture.Connector);
    }

    protected override IReadOnlyList<SentRequest> SentRequests() =>
        [.. _fixture!.Simulator.Journal.Entries.Select(e => new SentRequest(e.Method, e.Path, e.Headers, e.Body))];

    protected override async Task DisposeConnectorAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }

    // A company and its contact made in Odoo by hand: no external id (ir.model.data) on either. (Through the base's
    // default, a partner keyed under another canonical id, the Odoo connector creates a twin instead of re-keying it.)
    protected override Task<string> CreateUnlinkedRecordAsync(CanonicalCustomer customer)
    {
        var company = _fixture!.Simulator.CreatePartner(new OdooPartnerSeed { Name = customer.Name, IsCompany = true, Website = customer.Website, Email = customer.Emails[0].Address });
        foreach (var contact in customer.Contacts)
        {
            _fixture.Simulator.CreatePartner(new OdooPartnerSeed { Name = contact.Name, ParentId = company });
        }

        return Task.FromResult(company.ToString(CultureInfo.InvariantCulture));
    }

    // The partner's reference is the custom attribute Odoo keeps.
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("ref", "CONF-1");

    // The simulated database has no Japan (res.country): Odoo cannot take the customer's address, for this record only.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) =>
        ValidCustomer(canonicalId) with { Addresses = [new PostalAddress { Role = AddressRole.Main, City = "Tokyo", Country = "JP" }] };
}
