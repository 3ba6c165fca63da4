using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>Whether a canonical customer is an organisation or a single person.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CustomerKind>))]
public enum CustomerKind
{
    /// <summary>An organisation (business account, Odoo company partner, HubSpot company, Zendesk organization).</summary>
    [JsonStringEnumMemberName("company")]
    Company,

    /// <summary>A single person without a company (person account, standalone contact or end user).</summary>
    [JsonStringEnumMemberName("person")]
    Person,
}
