namespace Concord.Canonical.Resilience.Internal;

/// <summary>Reads how long a server asked the client to wait.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// The <c>Retry-After</c> delay of <paramref name="response"/> in both its forms (delta seconds and HTTP-date,
    /// a past date meaning zero), or else the vendor hook's answer, or <see langword="null"/>.
    /// </summary>
    public static TimeSpan? Read(HttpResponseMessage? response, TimeProvider timeProvider, Func<HttpResponseMessage, TimeSpan?>? vendorHook)
    {
        if (response is null)
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        if (vendorHook?.Invoke(response) is { } vendorDelay)
        {
            return vendorDelay < TimeSpan.Zero ? TimeSpan.Zero : vendorDelay;
        }

        return null;
    }
}
