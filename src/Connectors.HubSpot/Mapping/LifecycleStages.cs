using Concord.Canonical;

namespace Concord.Connectors.HubSpot.Mapping;

/// <summary>
/// Canonical lifecycle stages ↔ HubSpot's default internal values (facts §6, in order: subscriber, lead,
/// marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other). <see cref="LifecycleStage.Former"/>
/// has no HubSpot stage and is written as <c>other</c>; custom stages (numeric ids) read as <see cref="LifecycleStage.Other"/>.
/// HubSpot only moves a stage forward; the connector keeps HubSpot's stage when a write would move it back.
/// </summary>
internal static class LifecycleStages
{
    public static string ToHubSpot(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Subscriber => "subscriber",
        LifecycleStage.Lead => "lead",
        LifecycleStage.MarketingQualifiedLead => "marketingqualifiedlead",
        LifecycleStage.SalesQualifiedLead => "salesqualifiedlead",
        LifecycleStage.Opportunity => "opportunity",
        LifecycleStage.Customer => "customer",
        LifecycleStage.Evangelist => "evangelist",
        _ => "other",
    };

    public static LifecycleStage? FromHubSpot(string? value) => value switch
    {
        null or "" => null,
        "subscriber" => LifecycleStage.Subscriber,
        "lead" => LifecycleStage.Lead,
        "marketingqualifiedlead" => LifecycleStage.MarketingQualifiedLead,
        "salesqualifiedlead" => LifecycleStage.SalesQualifiedLead,
        "opportunity" => LifecycleStage.Opportunity,
        "customer" => LifecycleStage.Customer,
        "evangelist" => LifecycleStage.Evangelist,
        _ => LifecycleStage.Other,
    };
}
