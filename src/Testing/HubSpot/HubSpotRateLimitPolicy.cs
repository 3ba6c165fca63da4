namespace Concord.Testing.HubSpot;

/// <summary>The <c>policyName</c> of a HubSpot 429.</summary>
public enum HubSpotRateLimitPolicy
{
    /// <summary><c>TEN_SECONDLY_ROLLING</c>: the per-app 10-second window.</summary>
    TenSecondlyRolling,

    /// <summary><c>DAILY</c>: the account's daily allowance, reset at midnight in the portal's time zone.</summary>
    Daily,

    /// <summary><c>SECONDLY</c>: the search endpoints' per-second limit.</summary>
    Secondly,
}
