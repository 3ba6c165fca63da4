namespace Concord.Connectors.HubSpot.Auth;

/// <summary>A bearer token and when it expires (never, for static tokens). <see cref="ToString"/> never shows it.</summary>
internal sealed class HubSpotAccessToken(string value, DateTimeOffset expiresAt)
{
    public string Value { get; } = value;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public override string ToString() => $"HubSpot access token (expires {ExpiresAt:O})";
}
