namespace Concord.Connectors.Salesforce.Auth;

/// <summary>An access token and where to use it. <see cref="ToString"/> never shows the token.</summary>
internal sealed class SalesforceToken(string accessToken, Uri instanceUrl)
{
    public string AccessToken { get; } = accessToken;

    public Uri InstanceUrl { get; } = instanceUrl;

    public override string ToString() => $"token for {InstanceUrl.Host}";
}
