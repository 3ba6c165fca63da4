using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Odoo;

/// <summary>
/// The Odoo connector: <see cref="ICustomerConnector"/> over <c>res.partner</c> (companies, persons, their contacts and
/// addresses), plus what only Odoo has. Resolve it with <c>GetRequiredKeyedService&lt;ICustomerConnector&gt;(name)</c>
/// or, for the Odoo-specific members, <c>GetRequiredKeyedService&lt;IOdooConnector&gt;(name)</c>.
/// </summary>
public interface IOdooConnector : ICustomerConnector
{
    /// <summary>Detects (once) and returns the server's version series, such as <c>18.0</c> or <c>19.0</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version as <c>major.minor</c>.</returns>
    /// <exception cref="ConcordException">The server could not be reached or authentication failed.</exception>
    Task<string> GetServerVersionAsync(CancellationToken cancellationToken = default);
}
