using System.Collections.Frozen;
using Concord.Canonical;

namespace Concord.Connectors.Odoo.Mapping;

/// <summary>The canonical field groups a <c>res.partner</c> and its child contacts and addresses hold (<see cref="PartnerReader"/>, <see cref="PartnerMapper"/>).</summary>
internal static class PartnerFields
{
    /// <summary>
    /// Everything but the legal name, lifecycle stage, consents and currency, which a partner has no standard field for:
    /// a change from Odoo leaves those to the target, and a flow into Odoo does not count them as changes.
    /// </summary>
    public static FrozenSet<CustomerField> Carried { get; } = new[]
    {
        CustomerField.Kind,
        CustomerField.Name,
        CustomerField.Status,
        CustomerField.Contacts,
        CustomerField.MainAddress,
        CustomerField.BillingAddress,
        CustomerField.ShippingAddress,
        CustomerField.OtherAddresses,
        CustomerField.TaxIds,
        CustomerField.Emails,
        CustomerField.Phones,
        CustomerField.Website,
        CustomerField.Language,
        CustomerField.Tags,
        CustomerField.Notes,
        CustomerField.CustomAttributes,
    }.ToFrozenSet();
}
