using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>One record of the simulated org (mutable; only touched under the simulator's handler lock).</summary>
internal sealed class SimRecord(string sObject, string id, DateTimeOffset created)
{
    public string SObject { get; } = sObject;

    public string Id { get; } = id;

    public Dictionary<string, object?> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsDeleted { get; set; }

    /// <summary>Written by a transaction that has not committed yet: no query or API call sees it.</summary>
    public bool Uncommitted { get; set; }

    public string? AccountId { get; set; }

    public string? MasterRecordId { get; set; }

    public DateTimeOffset CreatedDate { get; } = created;

    public DateTimeOffset SystemModstamp { get; set; } = created;

    /// <summary>When a user (or the integration) last changed the record; a system update moves only <see cref="SystemModstamp"/>.</summary>
    public DateTimeOffset LastModifiedDate { get; set; } = created;

    public string LastModifiedById { get; set; } = SalesforceOrg.IntegrationUserId;

    /// <summary>The value SOQL sees for <paramref name="field"/> (system fields included).</summary>
    public object? Get(string field) => field.ToUpperInvariant() switch
    {
        "ID" => Id,
        "ISDELETED" => IsDeleted,
        "SYSTEMMODSTAMP" => SystemModstamp,
        "LASTMODIFIEDDATE" => LastModifiedDate,
        "CREATEDDATE" => CreatedDate,
        "LASTMODIFIEDBYID" => LastModifiedById,
        "MASTERRECORDID" => MasterRecordId,
        "ACCOUNTID" => AccountId,
        _ => Fields.GetValueOrDefault(field),
    };

    /// <summary>The row as a query answers it: each field under the schema's spelling (<paramref name="spelling"/>), whatever the query's.</summary>
    public JsonObject Render(IReadOnlyList<string> fields, string apiVersion, Func<string, string> spelling)
    {
        var row = new JsonObject
        {
            ["attributes"] = new JsonObject
            {
                ["type"] = SObject,
                ["url"] = $"/services/data/v{apiVersion}/sobjects/{SObject}/{Id}",
            },
        };
        foreach (var field in fields)
        {
            row[spelling(field)] = ToNode(Get(field));
        }

        return row;
    }

    public SalesforceSimRecord Snapshot() =>
        new(SObject, Id, Fields.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase), IsDeleted, SystemModstamp, AccountId);

    /// <summary>Salesforce's datetime form: <c>2013-05-20T20:49:32.000+0000</c>.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        decimal number => JsonValue.Create(number),
        DateTimeOffset date => JsonValue.Create(FormatDateTime(date)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    public static object? FromNode(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        return value.TryGetValue<decimal>(out var number) ? number : value.ToJsonString();
    }
}
