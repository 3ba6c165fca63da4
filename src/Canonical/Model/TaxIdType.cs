using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>The kind of a tax or registry identifier.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaxIdType>))]
public enum TaxIdType
{
    /// <summary>Value-added tax number (EU VAT, UK VAT, ...).</summary>
    [JsonStringEnumMemberName("vat")]
    Vat,

    /// <summary>Goods and services tax number.</summary>
    [JsonStringEnumMemberName("gst")]
    Gst,

    /// <summary>US employer identification number.</summary>
    [JsonStringEnumMemberName("ein")]
    Ein,

    /// <summary>Company registry number (Odoo <c>company_registry</c>).</summary>
    [JsonStringEnumMemberName("company_registry")]
    CompanyRegistry,

    /// <summary>Any other identifier; describe it in the issuing country's terms.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
