using Concord.Canonical.Errors;

namespace Concord.Connectors.HubSpot.Auth;

/// <summary>
/// The current bearer token of one connector instance. A static token is returned as it is. An OAuth token is refreshed
/// <c>refreshAhead</c> before it expires, single-flight: however many calls find it stale at once, one refresh runs and
/// they all await it (100 concurrent calls on an expiring token make exactly one token request). A refused refresh
/// (<c>invalid_grant</c>) is remembered for <see cref="RefusalHold"/>, so a flood of calls does not hammer the endpoint.
/// </summary>
internal sealed class HubSpotTokenCache
{
    /// <summary>How long an <see cref="ErrorCategory.Authentication"/> refusal is answered from the cache.</summary>
    public static readonly TimeSpan RefusalHold = TimeSpan.FromSeconds(30);

    private readonly Func<CancellationToken, Task<HubSpotAccessToken>>? _refresh;
    private readonly HubSpotAccessToken? _static;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshAhead;
    private readonly Lock _gate = new();
    private HubSpotAccessToken? _current;
    private Task<HubSpotAccessToken>? _refreshing;
    private DateTimeOffset _refusedAt;

    private HubSpotTokenCache(HubSpotAccessToken? staticToken, Func<CancellationToken, Task<HubSpotAccessToken>>? refresh, TimeSpan refreshAhead, TimeProvider time)
    {
        _static = staticToken;
        _refresh = refresh;
        _refreshAhead = refreshAhead;
        _time = time;
    }

    public bool CanRefresh => _refresh is not null;

    public static HubSpotTokenCache ForStatic(string token, TimeProvider time) =>
        new(new HubSpotAccessToken(token, DateTimeOffset.MaxValue), null, TimeSpan.Zero, time);

    public static HubSpotTokenCache ForOAuth(Func<CancellationToken, Task<HubSpotAccessToken>> refresh, TimeSpan refreshAhead, TimeProvider time) =>
        new(null, refresh, refreshAhead, time);

    /// <summary>A token with more than the refresh margin left, refreshing (once for all callers) when there is none.</summary>
    public Task<HubSpotAccessToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_static is not null)
        {
            return Task.FromResult(_static);
        }

        Task<HubSpotAccessToken> pending;
        lock (_gate)
        {
            if (_current is { } token && token.ExpiresAt - _time.GetUtcNow() > _refreshAhead)
            {
                return Task.FromResult(token);
            }

            if (_refreshing is null || _refreshing.IsCanceled || (_refreshing.IsFaulted && !HoldsRefusal(_refreshing)) || _refreshing.IsCompletedSuccessfully)
            {
                // Not bound to one caller's cancellation: the others still wait for it.
                _refreshing = RefreshAsync();
            }

            pending = _refreshing;
        }

        return pending.IsCompleted ? pending : pending.WaitAsync(cancellationToken);
    }

    /// <summary>Drops <paramref name="stale"/> if it is still current (after a 401); a token already replaced is kept.</summary>
    public void Invalidate(HubSpotAccessToken stale)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, stale))
            {
                _current = null;
            }
        }
    }

    private async Task<HubSpotAccessToken> RefreshAsync()
    {
        try
        {
            var token = await _refresh!(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
            }

            return token;
        }
        catch (ConcordException ex) when (ex.Category == ErrorCategory.Authentication)
        {
            _refusedAt = _time.GetUtcNow();
            throw;
        }
    }

    private bool HoldsRefusal(Task<HubSpotAccessToken> failed) =>
        failed.Exception?.InnerException is ConcordException { Category: ErrorCategory.Authentication }
        && _time.GetUtcNow() - _refusedAt < RefusalHold;
}
