using Concord.Canonical.Resilience;
using Concord.Connectors.HubSpot.Api.Dtos;
using Refit;

namespace Concord.Connectors.HubSpot.Api;

/// <summary>
/// The HubSpot CRM endpoints the connector uses, for every API version: <c>p1</c>/<c>p2</c> are the two path segments
/// after <c>/crm/</c> that <see cref="ApiPaths"/> gives (<c>objects</c>/<c>2026-09</c> or <c>v3</c>/<c>objects</c>).
/// Answers are <see cref="IApiResponse{T}"/> so that the connector classifies failures itself. Batch upserts and updates
/// (keyed), association writes (a link is set once) and every read are idempotent and marked so.
/// </summary>
internal interface IHubSpotApi
{
    [Get("/crm/{p1}/{p2}/{objectType}/{name}")]
    Task<IApiResponse<PropertyDefinition>> GetPropertyAsync(
        string p1,
        string p2,
        string objectType,
        string name,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{objectType}")]
    Task<IApiResponse<PropertyDefinition>> CreatePropertyAsync(
        string p1,
        string p2,
        string objectType,
        [Body] PropertyDefinition property,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{objectType}/batch/upsert")]
    Task<IApiResponse<BatchResponse>> BatchUpsertAsync(
        string p1,
        string p2,
        string objectType,
        [Body] BatchInputs<WriteInput> body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{objectType}/batch/update")]
    Task<IApiResponse<BatchResponse>> BatchUpdateAsync(
        string p1,
        string p2,
        string objectType,
        [Body] BatchInputs<WriteInput> body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{objectType}/batch/read")]
    Task<IApiResponse<BatchResponse>> BatchReadAsync(
        string p1,
        string p2,
        string objectType,
        [Body] BatchReadRequest body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{objectType}/search")]
    Task<IApiResponse<SearchResponse>> SearchAsync(
        string p1,
        string p2,
        string objectType,
        [Body] SearchRequest body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Get("/crm/{p1}/{p2}/{objectType}")]
    Task<IApiResponse<ListResponse>> ListAsync(
        string p1,
        string p2,
        string objectType,
        [Query] int limit,
        [Query] string? after,
        [Query] string properties,
        [Query] string archived,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{fromType}/{toType}/batch/create")]
    Task<IApiResponse<AssociationWriteResponse>> CreateAssociationsAsync(
        string p1,
        string p2,
        string fromType,
        string toType,
        [Body] BatchInputs<AssociationCreateInput> body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Post("/crm/{p1}/{p2}/{fromType}/{toType}/batch/read")]
    Task<IApiResponse<AssociationReadResponse>> ReadAssociationsAsync(
        string p1,
        string p2,
        string fromType,
        string toType,
        [Body] BatchInputs<AssociationReadInput> body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>v4 answers 204 without a body, 2026-03 and 2026-09 answer 200 with a batch body: read as a raw response.</summary>
    [Post("/crm/{p1}/{p2}/{fromType}/{toType}/batch/archive")]
    Task<HttpResponseMessage> ArchiveAssociationsAsync(
        string p1,
        string p2,
        string fromType,
        string toType,
        [Body] BatchInputs<AssociationArchiveInput> body,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);
}
