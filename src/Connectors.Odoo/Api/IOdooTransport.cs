using System.Text.Json.Serialization.Metadata;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Odoo.Api;

/// <summary>Sends ORM calls over one wire protocol and turns every failure into a <see cref="ConcordException"/>.</summary>
internal interface IOdooTransport
{
    Task<T> ExecuteAsync<T>(OdooCall call, JsonTypeInfo<T> resultType, string operation, CancellationToken cancellationToken);
}
