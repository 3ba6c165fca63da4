using System.Net;
using Concord.Canonical.Resilience;

namespace Concord.Canonical.Connectors;

/// <summary>
/// What every connector's options have: where the vendor is (<see cref="BaseAddress"/>), whether plain http is allowed
/// to a loopback test server (<see cref="AllowInsecureHttp"/>), how many records one write carries
/// (<see cref="BatchSize"/>) and how the connector's HTTP client survives the vendor (<see cref="Resilience"/>).
/// Each connector derives its options from this class (<c>OdooConnectorOptions</c>, <c>SalesforceConnectorOptions</c>)
/// and adds what only its vendor needs.
/// </summary>
/// <remarks>
/// <para>
/// Options are bound from configuration by the standard configuration binder (section <c>Concord:&lt;Vendor&gt;</c> for
/// the default instance, <c>Concord:&lt;Vendor&gt;:&lt;name&gt;</c> by convention for a named one) and validated when
/// the host starts. Every validation message starts with the configuration path of the value it is about
/// (<c>Concord:Odoo:eu:BaseAddress is required: …</c>); a value the binder cannot convert stops the host with the
/// binder's own message, which names the path too (<c>Failed to convert configuration value 'abc' at
/// 'Concord:Odoo:BatchSize' to type 'System.Int32'</c>).
/// </para>
/// <para>
/// Rules every connector enforces: <see cref="BaseAddress"/> is required and absolute; it is <c>https://</c>, or
/// <c>http://</c> to a loopback host (<c>127.0.0.0/8</c>, <c>::1</c>, <c>localhost</c>) when
/// <see cref="AllowInsecureHttp"/> is set, and never <c>http://</c> to any other host, so that credentials never travel
/// in clear text; <see cref="BatchSize"/> is between 1 and the vendor's largest batch; <see cref="Resilience"/> passes
/// its own rules (attempt timeout below total timeout, failure ratio in (0, 1], ...).
/// </para>
/// <para>A connector author: see <c>Concord.Canonical.DependencyInjection.ConnectorDefinition&lt;TOptions, TConnector&gt;</c>.</para>
/// </remarks>
public abstract class ConnectorOptions
{
    /// <summary>Creates options whose <see cref="BatchSize"/> starts at <paramref name="defaultBatchSize"/> and may not exceed <paramref name="maxBatchSize"/>.</summary>
    /// <param name="defaultBatchSize">The default batch size.</param>
    /// <param name="maxBatchSize">The vendor's largest batch: the upper bound validation enforces.</param>
    /// <exception cref="ArgumentOutOfRangeException">The default is not between 1 and the maximum.</exception>
    protected ConnectorOptions(int defaultBatchSize, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultBatchSize, maxBatchSize);
        BatchSize = defaultBatchSize;
        BatchSizeLimit = maxBatchSize;
    }

    /// <summary>
    /// Gets or sets the vendor's address: <c>https://acme.odoo.com</c> for Odoo, the org's My Domain
    /// (<c>https://acme.my.salesforce.com</c>) for Salesforce. Required, absolute, <c>https://</c> unless
    /// <see cref="AllowInsecureHttp"/> and a loopback host.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets whether a plain <c>http://</c> <see cref="BaseAddress"/> is accepted, for a test server or simulator
    /// on a loopback host only (<c>127.0.0.0/8</c>, <c>::1</c>, <c>localhost</c>): <c>http://</c> to any other host is
    /// refused at start even when this is set, because credentials would travel in clear text. Never set it in production.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Gets or sets how many records one vendor write carries; between 1 and the vendor's largest batch (each connector's README says both).</summary>
    /// <value>The default value is set by each connector (its README gives the default and the vendor's largest batch).</value>
    public int BatchSize { get; set; }

    /// <summary>
    /// Gets or sets the resilience settings of the connector's HTTP client: timeouts, retries, circuit breaker and the
    /// client-side rate limiter (section <c>Concord:&lt;Vendor&gt;:Resilience</c>).
    /// </summary>
    /// <value>The defaults of <see cref="ConnectorResilienceOptions"/>, sized by each connector to its vendor's published limits.</value>
    public ConnectorResilienceOptions Resilience { get; set; } = new();

    /// <summary>The largest <see cref="BatchSize"/> the vendor takes.</summary>
    internal int BatchSizeLimit { get; }

    /// <summary>
    /// Whether <paramref name="address"/> names a loopback host: an IPv4 address in <c>127.0.0.0/8</c>, the IPv6 address
    /// <c>::1</c>, or the name <c>localhost</c>. The one definition every connector applies to <see cref="AllowInsecureHttp"/>.
    /// </summary>
    /// <param name="address">An absolute address.</param>
    /// <returns><see langword="true"/> for a loopback host; <see langword="false"/> for any other host or a relative address.</returns>
    public static bool IsLoopback(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            return false;
        }

        return address.HostNameType switch
        {
            UriHostNameType.IPv4 or UriHostNameType.IPv6 => IPAddress.TryParse(address.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip),
            UriHostNameType.Dns => string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
