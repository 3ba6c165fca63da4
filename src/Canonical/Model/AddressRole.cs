using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>What an address is used for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AddressRole>))]
public enum AddressRole
{
    /// <summary>Invoicing address (Odoo child of type <c>invoice</c>, Salesforce <c>Billing*</c>).</summary>
    [JsonStringEnumMemberName("billing")]
    Billing,

    /// <summary>Delivery address (Odoo child of type <c>delivery</c>, Salesforce <c>Shipping*</c>).</summary>
    [JsonStringEnumMemberName("shipping")]
    Shipping,

    /// <summary>Any other address (Odoo child of type <c>other</c>).</summary>
    [JsonStringEnumMemberName("other")]
    Other,

    /// <summary>The main address held on the record itself (Odoo partner address).</summary>
    [JsonStringEnumMemberName("main")]
    Main,
}
