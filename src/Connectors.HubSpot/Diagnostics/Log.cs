using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.Diagnostics;

/// <summary>The connector's log messages. None carries a token, a client secret or a record's personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "HubSpot connector {Connector}: refreshing the OAuth access token at {Host}.")]
    public static partial void RefreshingToken(ILogger logger, string connector, string host);

    [LoggerMessage(2, LogLevel.Information, "HubSpot connector {Connector}: access token refreshed, valid for {Lifetime}; refresh token rotated: {Rotated}.")]
    public static partial void TokenRefreshed(ILogger logger, string connector, TimeSpan lifetime, bool rotated);

    [LoggerMessage(3, LogLevel.Warning, "HubSpot connector {Connector}: token refresh refused with HTTP {Status} {OAuthError}.")]
    public static partial void TokenRefused(ILogger logger, string connector, int status, string oauthError);

    [LoggerMessage(4, LogLevel.Debug, "HubSpot connector {Connector}: 401 with a token HubSpot no longer takes; refreshing once and replaying.")]
    public static partial void ReplayingAfter401(ILogger logger, string connector);

    [LoggerMessage(5, LogLevel.Warning, "HubSpot connector {Connector}: {Operation} failed: {Category} {VendorCode} (HTTP {Status}, correlation {CorrelationId}).")]
    public static partial void CallFailed(ILogger logger, string connector, string operation, ErrorCategory category, string? vendorCode, int? status, string? correlationId);

    [LoggerMessage(6, LogLevel.Debug, "HubSpot connector {Connector}: {Operation} wrote {Count} {ObjectType} in one call ({Failed} failed).")]
    public static partial void BatchWritten(ILogger logger, string connector, string operation, int count, string objectType, int failed);

    [LoggerMessage(7, LogLevel.Information, "HubSpot connector {Connector}: batch answered 423 Locked; resending in {Delay} (attempt {Attempt}).")]
    public static partial void Locked(ILogger logger, string connector, TimeSpan delay, int attempt);

    [LoggerMessage(8, LogLevel.Information, "HubSpot connector {Connector}: {ObjectType} {Id} already holds the key; adopting it (409 CONFLICT).")]
    public static partial void Adopted(ILogger logger, string connector, string objectType, string id);

    [LoggerMessage(9, LogLevel.Warning, "HubSpot connector {Connector}: daily allowance low ({Remaining} of {Daily} left); non-urgent calls pause until {Until}.")]
    public static partial void DailyGuardEngaged(ILogger logger, string connector, long remaining, long daily, DateTimeOffset until);

    [LoggerMessage(10, LogLevel.Information, "HubSpot connector {Connector}: created the unique property {ObjectType}.{Property}.")]
    public static partial void PropertyCreated(ILogger logger, string connector, string objectType, string property);

    [LoggerMessage(11, LogLevel.Debug, "HubSpot connector {Connector}: change feed restarts its {ObjectType} search at {Timestamp} (10,000-result cap).")]
    public static partial void FeedRestarted(ILogger logger, string connector, string objectType, long timestamp);

    [LoggerMessage(12, LogLevel.Debug, "HubSpot connector {Connector}: lifecycle stage of {ObjectType} kept: HubSpot's is later (forward-only).")]
    public static partial void LifecycleKept(ILogger logger, string connector, string objectType);

    [LoggerMessage(13, LogLevel.Warning, "HubSpot connector {Connector}: 429 {Policy}; waiting {Delay}.")]
    public static partial void Throttled(ILogger logger, string connector, string policy, TimeSpan delay);

    [LoggerMessage(14, LogLevel.Debug, "HubSpot connector {Connector}: starting from the stored access token, valid until {ExpiresAt}.")]
    public static partial void StoredTokenUsed(ILogger logger, string connector, DateTimeOffset expiresAt);

    [LoggerMessage(15, LogLevel.Warning, "HubSpot connector {Connector}: the IConnectorTokenStore could not save the new access token ({ExceptionType}); the refresh token did not change, so a restart only refreshes once more.")]
    public static partial void TokenNotSaved(ILogger logger, string connector, string exceptionType);

    [LoggerMessage(16, LogLevel.Information, "HubSpot connector {Connector}: unique properties checked at start.")]
    public static partial void StartupCheckPassed(ILogger logger, string connector);

    [LoggerMessage(17, LogLevel.Warning, "HubSpot connector {Connector}: the unique properties could not be checked at start ({Reason}); the first write checks them again.")]
    public static partial void StartupCheckDeferred(ILogger logger, string connector, string reason);
}
