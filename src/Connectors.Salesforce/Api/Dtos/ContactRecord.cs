using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>A Contact as written and read; <see cref="Account"/> links the parent by its external id on writes.</summary>
internal sealed class ContactRecord
{
    [JsonPropertyName("attributes")]
    public SObjectAttributes? Attributes { get; set; }

    public string? Id { get; set; }

    public string? AccountId { get; set; }

    /// <summary>The parent by external id: <c>{"Concord_Id__c":"a-1"}</c>.</summary>
    public Dictionary<string, string>? Account { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? MobilePhone { get; set; }

    public string? Title { get; set; }

    public bool? IsDeleted { get; set; }

    public DateTimeOffset? SystemModstamp { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
