using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Api;

/// <summary>The connector's source-generated JSON metadata: every type that crosses the wire is listed here.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcResponse))]
[JsonSerializable(typeof(Json2Request))]
[JsonSerializable(typeof(OdooErrorData))]
[JsonSerializable(typeof(RpcVersionInfo))]
[JsonSerializable(typeof(WebVersionInfo))]
[JsonSerializable(typeof(WebClientVersionRequest))]
[JsonSerializable(typeof(LoadResult))]
[JsonSerializable(typeof(PartnerRecord[]))]
[JsonSerializable(typeof(CountryRecord[]))]
[JsonSerializable(typeof(StateRecord[]))]
[JsonSerializable(typeof(CategoryRecord[]))]
[JsonSerializable(typeof(LanguageRecord[]))]
[JsonSerializable(typeof(ModelDataRecord[]))]
[JsonSerializable(typeof(ModelDataVals[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string[][]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(PartnerRecord))]
[JsonSerializable(typeof(Concord.Connectors.Odoo.ChangeFeed.LegacyCursorV1))]
internal sealed partial class OdooJsonContext : JsonSerializerContext;
