namespace Concord.Connectors.Salesforce;

/// <summary>How the connector obtains its access token (the OAuth 2.0 flow).</summary>
public enum SalesforceAuthMode
{
    /// <summary>
    /// Client credentials (<c>grant_type=client_credentials</c>) posted to the org's My Domain: the default for a
    /// headless connector. Needs <see cref="SalesforceConnectorOptions.ClientId"/> and <see cref="SalesforceConnectorOptions.ClientSecret"/>.
    /// </summary>
    ClientCredentials,

    /// <summary>
    /// JWT bearer (<c>urn:ietf:params:oauth:grant-type:jwt-bearer</c>): an RS256 assertion signed with the app's private key.
    /// Needs <see cref="SalesforceConnectorOptions.ClientId"/>, <see cref="SalesforceConnectorOptions.Username"/> and
    /// <see cref="SalesforceConnectorOptions.PrivateKeyPem"/>.
    /// </summary>
    JwtBearer,

    /// <summary>
    /// Refresh token (<c>grant_type=refresh_token</c>), for hosts that obtained one interactively. Needs
    /// <see cref="SalesforceConnectorOptions.ClientId"/> and <see cref="SalesforceConnectorOptions.RefreshToken"/>.
    /// </summary>
    RefreshToken,
}
