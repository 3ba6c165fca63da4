using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Diagnostics;

/// <summary>The connector's log messages. None carries a token, a secret or a record's personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Zendesk connector {Connector}: requesting an OAuth token ({Grant}).")]
    public static partial void RequestingToken(ILogger logger, string connector, string grant);

    [LoggerMessage(2, LogLevel.Information, "Zendesk connector {Connector}: OAuth token acquired, expires at {ExpiresAt}; the rotated pair is saved to the token store.")]
    public static partial void TokenAcquired(ILogger logger, string connector, DateTimeOffset? expiresAt);

    [LoggerMessage(3, LogLevel.Warning, "Zendesk connector {Connector}: token request refused with HTTP {Status} {OAuthError}.")]
    public static partial void TokenRefused(ILogger logger, string connector, int status, string oauthError);

    [LoggerMessage(4, LogLevel.Debug, "Zendesk connector {Connector}: 401 Couldn't authenticate you; refreshing the token once and replaying the request once.")]
    public static partial void TokenRejected(ILogger logger, string connector);

    [LoggerMessage(5, LogLevel.Warning, "Zendesk connector {Connector}: the token request failed ({Category}); if Zendesk applied it, the previous pair is revoked and the stored refresh token must be replaced.")]
    public static partial void TokenRequestFailed(ILogger logger, string connector, ErrorCategory category);

    [LoggerMessage(6, LogLevel.Warning, "Zendesk connector {Connector} authenticates with an API token. Zendesk is retiring API tokens: unused ones are deactivated from 28 July 2026, none can be created from 27 October 2026, and every remaining API token stops working on 30 April 2027. Move to OAuth (AuthMode OAuth with ClientId, ClientSecret and a refresh token).")]
    public static partial void ApiTokenRetirement(ILogger logger, string connector);

    [LoggerMessage(7, LogLevel.Warning, "Zendesk connector {Connector}: bulk user import is not enabled for this account (users/create_or_update_many answered 403); writing users one call at a time (1 a second, 5 a minute per user) from now on. Ask Zendesk support to enable bulk user import for faster syncs.")]
    public static partial void BulkImportDisabled(ILogger logger, string connector);

    [LoggerMessage(8, LogLevel.Warning, "Zendesk connector {Connector}: {Operation} failed: {Category} {VendorCode} (HTTP {Status}).")]
    public static partial void CallFailed(ILogger logger, string connector, string operation, ErrorCategory category, string? vendorCode, int? status);

    [LoggerMessage(9, LogLevel.Debug, "Zendesk connector {Connector}: {Operation} submitted job {JobId} with {Count} items.")]
    public static partial void JobSubmitted(ILogger logger, string connector, string operation, string jobId, int count);

    [LoggerMessage(10, LogLevel.Debug, "Zendesk connector {Connector}: job {JobId} ended {Status}.")]
    public static partial void JobFinished(ILogger logger, string connector, string jobId, string status);

    [LoggerMessage(11, LogLevel.Information, "Zendesk connector {Connector}: the account has too many jobs running (TooManyJobs); waiting {Delay} before submitting again.")]
    public static partial void TooManyJobs(ILogger logger, string connector, TimeSpan delay);

    [LoggerMessage(12, LogLevel.Information, "Zendesk connector {Connector}: adopted organization {OrganizationId}, which held the name and no external id and shares a domain or tax id with the customer.")]
    public static partial void Adopted(ILogger logger, string connector, long organizationId);

    [LoggerMessage(13, LogLevel.Debug, "Zendesk connector {Connector}: {Operation} met 409 DatabaseConflict; attempt {Attempt} in {Delay}.")]
    public static partial void ConflictRetry(ILogger logger, string connector, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(14, LogLevel.Information, "Zendesk connector {Connector}: created the missing {Resource} field '{Key}' (CreateMissingFields).")]
    public static partial void FieldCreated(ILogger logger, string connector, string resource, string key);

    [LoggerMessage(15, LogLevel.Warning, "Zendesk connector {Connector}: the user export cursor was refused; continuing time-based from the last user change seen.")]
    public static partial void CursorRefused(ILogger logger, string connector);
}
