using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>
/// An Account as written (upsert body) and read (query row). Null members are omitted on writes; the external-id field
/// and unknown members travel in <see cref="Extra"/>, because their names come from configuration and the org.
/// </summary>
internal sealed class AccountRecord
{
    [JsonPropertyName("attributes")]
    public SObjectAttributes? Attributes { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Website { get; set; }

    public string? Phone { get; set; }

    public string? Fax { get; set; }

    public string? AccountNumber { get; set; }

    public string? Description { get; set; }

    public string? Industry { get; set; }


    public string? BillingStreet { get; set; }

    public string? BillingCity { get; set; }

    public string? BillingState { get; set; }

    public string? BillingStateCode { get; set; }

    public string? BillingPostalCode { get; set; }

    public string? BillingCountry { get; set; }

    public string? BillingCountryCode { get; set; }

    public string? ShippingStreet { get; set; }

    public string? ShippingCity { get; set; }

    public string? ShippingState { get; set; }

    public string? ShippingStateCode { get; set; }

    public string? ShippingPostalCode { get; set; }

    public string? ShippingCountry { get; set; }

    public string? ShippingCountryCode { get; set; }

    public bool? IsDeleted { get; set; }

    public string? MasterRecordId { get; set; }

    public string? LastModifiedById { get; set; }

    public DateTimeOffset? LastModifiedDate { get; set; }

    public DateTimeOffset? SystemModstamp { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
