using System.Text.Json.Serialization;
using Concord.Connectors.Salesforce.Api.Dtos;

namespace Concord.Connectors.Salesforce.Api;

/// <summary>Source-generated JSON metadata for every Salesforce payload; unknown members are tolerated.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SalesforceDateTimeConverter)])]
[JsonSerializable(typeof(AccountRecord))]
[JsonSerializable(typeof(ContactRecord))]
[JsonSerializable(typeof(SObjectBody))]
[JsonSerializable(typeof(CollectionRequest))]
[JsonSerializable(typeof(SaveResult))]
[JsonSerializable(typeof(List<SaveResult>))]
[JsonSerializable(typeof(List<RestError>))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(QueryResult<AccountRecord>))]
[JsonSerializable(typeof(QueryResult<ContactRecord>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DescribeResult))]
[JsonSerializable(typeof(LimitsResult))]
[JsonSerializable(typeof(DeletedResult))]
internal sealed partial class SalesforceJsonContext : JsonSerializerContext;
