namespace Concord.Connectors.Salesforce.Auth;

/// <summary>
/// The current token of one connector instance, acquired single-flight: however many calls find the cache cold or the
/// token stale at once, one token request is made and they all await it. Salesforce tokens have no expiry time; a token
/// is kept until a 401 says it is dead (<see cref="Invalidate"/>).
/// </summary>
internal sealed class SalesforceTokenCache(Func<CancellationToken, Task<SalesforceToken>> acquire)
{
    private readonly Lock _gate = new();
    private Task<SalesforceToken>? _current;

    /// <summary>The current token, acquiring one if there is none (or the last attempt failed).</summary>
    public Task<SalesforceToken> GetAsync(CancellationToken cancellationToken)
    {
        Task<SalesforceToken> current;
        lock (_gate)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled)
            {
                // Not bound to one caller's token: the others still wait for it.
                _current = acquire(CancellationToken.None);
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
}
