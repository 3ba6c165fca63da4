using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Salesforce.Diagnostics;

/// <summary>The connector's log messages. None carries a secret, a token, an assertion or a record's personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Salesforce connector {Connector}: requesting a token ({AuthMode}) from {Host}.")]
    public static partial void RequestingToken(ILogger logger, string connector, SalesforceAuthMode authMode, string host);

    [LoggerMessage(2, LogLevel.Information, "Salesforce connector {Connector}: token acquired for instance {InstanceHost}.")]
    public static partial void TokenAcquired(ILogger logger, string connector, string instanceHost);

    [LoggerMessage(3, LogLevel.Warning, "Salesforce connector {Connector}: token request ({AuthMode}) refused with HTTP {Status} {OAuthError}.")]
    public static partial void TokenRefused(ILogger logger, string connector, SalesforceAuthMode authMode, int status, string oauthError);

    [LoggerMessage(4, LogLevel.Debug, "Salesforce connector {Connector}: session expired (401 INVALID_SESSION_ID); getting a new token and replaying once.")]
    public static partial void SessionExpired(ILogger logger, string connector);

    [LoggerMessage(5, LogLevel.Warning, "Salesforce connector {Connector}: the session is not valid for use with the REST API (API scope or API permission missing); a new token would not help.")]
    public static partial void SessionNotValidForRest(ILogger logger, string connector);

    [LoggerMessage(6, LogLevel.Warning, "Salesforce connector {Connector}: {Operation} failed: {Category} {VendorCode} (HTTP {Status}).")]
    public static partial void CallFailed(ILogger logger, string connector, string operation, ErrorCategory category, string? vendorCode, int? status);

    [LoggerMessage(7, LogLevel.Debug, "Salesforce connector {Connector}: {Operation} wrote {Count} {SObject} records in one call.")]
    public static partial void BatchWritten(ILogger logger, string connector, string operation, int count, string sObject);

    [LoggerMessage(8, LogLevel.Warning, "Salesforce connector {Connector}: the delete log of {SObject} was purged up to {PurgedUpTo:O}, after what the change cursor had read ({ReadUpTo:O}); deletions in between may be lost (ToleratePurgedDeletions: reading on). Reconcile the flow to find them.")]
    public static partial void DeletionsPurged(ILogger logger, string connector, string sObject, DateTimeOffset purgedUpTo, DateTimeOffset readUpTo);

    [LoggerMessage(9, LogLevel.Warning, "Salesforce connector {Connector}: looking at the daily API usage (GET /limits) failed (HTTP {Status}); calls stay refused until the next look.")]
    public static partial void UsageProbeFailed(ILogger logger, string connector, int? status);
}
