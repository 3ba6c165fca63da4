using System.Text.Json;
using Concord.Canonical.Resilience;
using Concord.Connectors.Odoo.Api.Dtos;
using Refit;

namespace Concord.Connectors.Odoo.Api;

/// <summary>Odoo's JSON-2 API (19.0+, Online saas-18.4+): <c>POST /json/2/&lt;model&gt;/&lt;method&gt;</c> with a bearer API key.</summary>
internal interface IOdooJson2Api
{
    /// <summary>Calls <paramref name="method"/> on <paramref name="model"/>; errors come back as 4xx/5xx with an error body.</summary>
    [Post("/json/2/{model}/{method}")]
    Task<ApiResponse<JsonElement>> CallAsync(
        string model,
        string method,
        [Body] Json2Request body,
        [Header("Authorization")] string authorization,
        [Header("X-Odoo-Database")] string database,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>The server version without authentication (19.0+; older servers answer 404 or a redirect).</summary>
    [Get("/web/version")]
    Task<ApiResponse<WebVersionInfo>> GetVersionAsync(
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);
}
