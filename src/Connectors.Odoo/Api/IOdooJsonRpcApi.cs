using Concord.Canonical.Resilience;
using Concord.Connectors.Odoo.Api.Dtos;
using Refit;

namespace Concord.Connectors.Odoo.Api;

/// <summary>Odoo's JSON-RPC endpoint (16.0–21.x; removed in 22.0). Every call is a POST to <c>/jsonrpc</c>.</summary>
internal interface IOdooJsonRpcApi
{
    /// <summary>Sends one JSON-RPC call. Errors come back with HTTP 200 in <see cref="JsonRpcResponse.Error"/>.</summary>
    [Post("/jsonrpc")]
    Task<ApiResponse<JsonRpcResponse>> CallAsync(
        [Body] JsonRpcRequest request,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>The server version without authentication, on every supported version (no 404 to probe through).</summary>
    [Post("/web/webclient/version_info")]
    Task<ApiResponse<JsonRpcResponse>> GetVersionInfoAsync(
        [Body] WebClientVersionRequest request,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);
}
