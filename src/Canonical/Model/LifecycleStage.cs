using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>Where a customer stands in the commercial lifecycle (the HubSpot stage set, which the other systems map onto).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LifecycleStage>))]
public enum LifecycleStage
{
    /// <summary>Subscribed to content only.</summary>
    [JsonStringEnumMemberName("subscriber")]
    Subscriber,

    /// <summary>A lead.</summary>
    [JsonStringEnumMemberName("lead")]
    Lead,

    /// <summary>Marketing-qualified lead.</summary>
    [JsonStringEnumMemberName("marketing_qualified_lead")]
    MarketingQualifiedLead,

    /// <summary>Sales-qualified lead.</summary>
    [JsonStringEnumMemberName("sales_qualified_lead")]
    SalesQualifiedLead,

    /// <summary>An open opportunity.</summary>
    [JsonStringEnumMemberName("opportunity")]
    Opportunity,

    /// <summary>A paying customer (Salesforce closed-won).</summary>
    [JsonStringEnumMemberName("customer")]
    Customer,

    /// <summary>A customer who promotes the product.</summary>
    [JsonStringEnumMemberName("evangelist")]
    Evangelist,

    /// <summary>A former customer.</summary>
    [JsonStringEnumMemberName("former")]
    Former,

    /// <summary>Any other stage.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
