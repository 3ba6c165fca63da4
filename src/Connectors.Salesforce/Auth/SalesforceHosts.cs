using Concord.Canonical.Connectors;

namespace Concord.Connectors.Salesforce.Auth;

/// <summary>Which hosts the connector trusts with a token request or a bearer token.</summary>
internal static class SalesforceHosts
{
    private static readonly string[] InstanceSuffixes = [".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com"];
    private static readonly string[] MyDomainSuffixes = [".my.salesforce.com", ".my.salesforce.mil"];

    /// <summary>Whether <paramref name="url"/> is a My Domain (<c>https://acme.my.salesforce.com</c>, sandbox <c>acme--uat.sandbox.my.salesforce.com</c>).</summary>
    public static bool IsMyDomain(Uri url, bool allowLoopback) =>
        IsLoopbackAllowed(url, allowLoopback) || (IsHttps(url) && EndsWithAny(url.Host, MyDomainSuffixes));

    /// <summary>Whether a token's <c>instance_url</c> may receive the bearer token: https and a Salesforce host.</summary>
    public static bool IsInstance(Uri url, bool allowLoopback) =>
        IsLoopbackAllowed(url, allowLoopback) || (IsHttps(url) && EndsWithAny(url.Host, InstanceSuffixes));

    // AllowInsecureHttp: a simulator on a loopback host (ConnectorOptions.IsLoopback: 127.0.0.0/8, ::1, localhost), never another host.
    private static bool IsLoopbackAllowed(Uri url, bool allowLoopback) =>
        allowLoopback && url.IsAbsoluteUri && ConnectorOptions.IsLoopback(url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static bool IsHttps(Uri url) => url.IsAbsoluteUri && url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && string.IsNullOrEmpty(url.UserInfo);

    private static bool EndsWithAny(string host, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
