using Concord.Connectors.Salesforce.Auth;
using Concord.Connectors.Salesforce.Limits;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>The per-instance state that outlives HTTP handler rotation: the token cache and the API usage tracker.</summary>
internal sealed class SalesforceSession(SalesforceTokenCache tokens, SalesforceApiUsageTracker usage)
{
    public SalesforceTokenCache Tokens { get; } = tokens;

    public SalesforceApiUsageTracker Usage { get; } = usage;
}
