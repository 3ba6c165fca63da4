using Microsoft.AspNetCore.Http;

namespace Concord.Testing;

/// <summary>
/// The ASP.NET Core context of the request being handled, captured by a middleware placed before WireMock's, so the
/// mapping callback can abort the connection (WireMock's own faults still send the status line and headers).
/// </summary>
internal static class CurrentHttpContext
{
    private static readonly AsyncLocal<HttpContext?> Current = new();

    public static HttpContext? Value => Current.Value;

    public static async Task CaptureAsync(HttpContext context, Func<Task> next)
    {
        Current.Value = context;
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            Current.Value = null;
        }
    }
}
