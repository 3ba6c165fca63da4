using Concord.Canonical.Resilience;
using Concord.Connectors.Salesforce.Api.Dtos;
using Refit;

namespace Concord.Connectors.Salesforce.Api;

/// <summary>
/// The Salesforce REST endpoints the connector uses. Paths are relative to a placeholder base address: the
/// authentication handler sends every call to the <c>instance_url</c> of the current token. <c>version</c> is
/// <c>vNN.0</c>. Answers are <see cref="IApiResponse{T}"/> so that the connector classifies failures itself.
/// Upserts by external id are idempotent and marked so: the resilience pipeline may send them again.
/// </summary>
internal interface ISalesforceApi
{
    [Patch("/services/data/{version}/sobjects/Account/{field}/{value}")]
    Task<IApiResponse<SaveResult>> UpsertAccountAsync(
        string version,
        string field,
        string value,
        [Body] SObjectBody account,
        [Header("Sforce-Duplicate-Rule-Header")] string duplicateRules,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary><c>PATCH /sobjects/{type}/{id}</c>: updates one record by its Salesforce id (204, no body).</summary>
    [Patch("/services/data/{version}/sobjects/{sObject}/{id}")]
    Task<IApiResponse> UpdateAsync(
        string version,
        string sObject,
        string id,
        [Body] SObjectBody record,
        [Header("Sforce-Duplicate-Rule-Header")] string duplicateRules,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>The collections upsert by external id: up to 200 records of one type, one result each in input order.</summary>
    [Patch("/services/data/{version}/composite/sobjects/{sObject}/{field}")]
    Task<IApiResponse<List<SaveResult>>> UpsertCollectionAsync(
        string version,
        string sObject,
        string field,
        [Body] CollectionRequest body,
        [Header("Sforce-Duplicate-Rule-Header")] string duplicateRules,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>The collections update by id: up to 200 records, each with <c>attributes.type</c> and <c>id</c>, one result each in input order.</summary>
    [Patch("/services/data/{version}/composite/sobjects")]
    Task<IApiResponse<List<SaveResult>>> UpdateCollectionAsync(
        string version,
        [Body] CollectionRequest body,
        [Header("Sforce-Duplicate-Rule-Header")] string duplicateRules,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary><c>DELETE /composite/sobjects?ids=…&amp;allOrNone=false</c>: up to 200 records to the Recycle Bin, one result each in input order.</summary>
    [Delete("/services/data/{version}/composite/sobjects")]
    Task<IApiResponse<List<SaveResult>>> DeleteCollectionAsync(
        string version,
        [Query(CollectionFormat.Csv)] IEnumerable<string> ids,
        [AliasAs("allOrNone")] string allOrNone,
        [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /limits</c>: the org's allocations and what remains of them (one API request).</summary>
    [Get("/services/data/{version}/limits")]
    Task<IApiResponse<LimitsResult>> GetLimitsAsync(
        string version,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /sobjects/{type}/describe</c>: the object's fields as the org has them.</summary>
    [Get("/services/data/{version}/sobjects/{sObject}/describe")]
    Task<IApiResponse<DescribeResult>> DescribeAsync(
        string version,
        string sObject,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Get("/services/data/{version}/queryAll")]
    Task<IApiResponse<QueryResult<AccountRecord>>> QueryAllAccountsAsync(
        string version,
        [AliasAs("q")] string soql,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Get("/services/data/{version}/query")]
    Task<IApiResponse<QueryResult<AccountRecord>>> QueryAccountsAsync(
        string version,
        [AliasAs("q")] string soql,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Get("/services/data/{version}/queryAll")]
    Task<IApiResponse<QueryResult<ContactRecord>>> QueryAllContactsAsync(
        string version,
        [AliasAs("q")] string soql,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    [Get("/services/data/{version}/query")]
    Task<IApiResponse<QueryResult<ContactRecord>>> QueryContactsAsync(
        string version,
        [AliasAs("q")] string soql,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /sobjects/{type}/deleted/?start=…&amp;end=…</c> (UTC, start at least a minute before end).</summary>
    [Get("/services/data/{version}/sobjects/{sObject}/deleted/")]
    Task<IApiResponse<DeletedResult>> GetDeletedAsync(
        string version,
        string sObject,
        [AliasAs("start")] string start,
        [AliasAs("end")] string end,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>Follows a <c>nextRecordsUrl</c> (given without its leading slash).</summary>
    [Get("/{**nextRecordsPath}")]
    Task<IApiResponse<QueryResult<AccountRecord>>> NextAccountsAsync(
        string nextRecordsPath,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);

    /// <summary>Follows a <c>nextRecordsUrl</c> (given without its leading slash).</summary>
    [Get("/{**nextRecordsPath}")]
    Task<IApiResponse<QueryResult<ContactRecord>>> NextContactsAsync(
        string nextRecordsPath,
        [Header("Sforce-Query-Options")] string queryOptions,
        [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
        CancellationToken cancellationToken);
}
