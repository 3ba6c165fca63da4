namespace Concord.Connectors.Salesforce;

/// <summary>The org's daily API usage as the last <c>Sforce-Limit-Info: api-usage=used/max</c> header reported it.</summary>
/// <param name="Used">Requests counted in the rolling 24 hours.</param>
/// <param name="Max">The daily allocation.</param>
/// <param name="ObservedAt">When the header was read (connector clock).</param>
public sealed record SalesforceApiUsage(long Used, long Max, DateTimeOffset ObservedAt)
{
    /// <summary>The used share of the allocation, 0 to 1 (1 when the allocation is zero).</summary>
    public double Share => Max <= 0 ? 1d : (double)Used / Max;
}
