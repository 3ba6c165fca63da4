namespace Concord.Connectors.HubSpot;

/// <summary>How the connector authenticates to HubSpot.</summary>
public enum HubSpotAuthMode
{
    /// <summary>
    /// A static bearer token for one account: a legacy private-app token (<c>pat-na1-…</c>), a service key, or the static
    /// token of a privately distributed project app (<see cref="HubSpotConnectorOptions.AccessToken"/>).
    /// </summary>
    StaticToken,

    /// <summary>
    /// OAuth 2.0 for a public (marketplace) app: access tokens refreshed ahead of expiry from a refresh token
    /// (<see cref="HubSpotConnectorOptions.RefreshToken"/>, then the newest pair in the <see cref="Concord.Canonical.Connectors.IConnectorTokenStore"/>).
    /// </summary>
    OAuth,
}
