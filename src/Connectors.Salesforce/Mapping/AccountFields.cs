using System.Collections.Frozen;
using Concord.Canonical;

namespace Concord.Connectors.Salesforce.Mapping;

/// <summary>The canonical field groups an Account and its Contacts hold (<see cref="AccountMapper"/>).</summary>
internal static class AccountFields
{
    /// <summary>
    /// A business Account has no standard field for tax ids, emails, tags, language, currency, lifecycle stage, consents,
    /// legal name or a main or other address, and no archived state (a deleted Account is a deletion): a change from
    /// Salesforce leaves those to the target, and a flow into Salesforce does not count them as changes.
    /// </summary>
    public static FrozenSet<CustomerField> Carried { get; } = new[]
    {
        CustomerField.Kind,
        CustomerField.Name,
        CustomerField.Website,
        CustomerField.Phones,
        CustomerField.BillingAddress,
        CustomerField.ShippingAddress,
        CustomerField.Notes,
        CustomerField.CustomAttributes,
        CustomerField.Contacts,
    }.ToFrozenSet();
}
