using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>Lifecycle status of a customer record in its source system.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CustomerStatus>))]
public enum CustomerStatus
{
    /// <summary>The record is live.</summary>
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>The record is archived or deactivated (Odoo <c>active = false</c>); it is kept, never deleted.</summary>
    [JsonStringEnumMemberName("archived")]
    Archived,
}
