using Concord.Canonical.Errors;

namespace Concord.Connectors.Salesforce.Auth;

/// <summary>
/// The current token of one connector instance, acquired single-flight: however many calls find the cache cold or the
/// token stale at once, one token request is made and they all await it. Salesforce tokens have no expiry time; a token
/// is kept until a 401 says it is dead (<see cref="Invalidate"/>). A refused token request (wrong secret, unapproved
/// user) is remembered for <see cref="RefusalHold"/>, so a flood of calls does not hammer the token endpoint.
/// </summary>
internal sealed class SalesforceTokenCache(Func<CancellationToken, Task<SalesforceToken>> acquire, TimeProvider time)
{
    /// <summary>How long an <see cref="ErrorCategory.Authentication"/> refusal is answered from the cache.</summary>
    public static readonly TimeSpan RefusalHold = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Task<SalesforceToken>? _current;
    private DateTimeOffset _refusedAt;

    /// <summary>The current token, acquiring one if there is none (or the last attempt failed, unless it was refused just now).</summary>
    public Task<SalesforceToken> GetAsync(CancellationToken cancellationToken)
    {
        Task<SalesforceToken> current;
        lock (_gate)
        {
            if (_current is null || _current.IsCanceled || (_current.IsFaulted && !HoldsRefusal(_current)))
            {
                // Not bound to one caller's token: the others still wait for it.
                _current = AcquireAsync();
            }

            current = _current;
        }

        return current.IsCompleted ? current : current.WaitAsync(cancellationToken);
    }

    /// <summary>Drops <paramref name="stale"/> if it is still the current token; a token already replaced is kept.</summary>
    public void Invalidate(SalesforceToken stale)
    {
        lock (_gate)
        {
            if (_current is { IsCompletedSuccessfully: true } task && ReferenceEquals(task.Result, stale))
            {
                _current = null;
            }
        }
    }

    private async Task<SalesforceToken> AcquireAsync()
    {
        try
        {
            return await acquire(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcordException ex) when (ex.Category == ErrorCategory.Authentication)
        {
            _refusedAt = time.GetUtcNow();
            throw;
        }
    }

    private bool HoldsRefusal(Task<SalesforceToken> failed) =>
        failed.Exception?.InnerException is ConcordException { Category: ErrorCategory.Authentication }
        && time.GetUtcNow() - _refusedAt < RefusalHold;
}
