using System.Text.Json.Nodes;

namespace Concord.Testing.HubSpot.Internal;

/// <summary>A property definition of one object type (facts page §6).</summary>
internal sealed class SimProperty
{
    public required string Name { get; init; }

    public string Label { get; init; } = string.Empty;

    /// <summary><c>string</c>, <c>number</c>, <c>date</c>, <c>datetime</c>, <c>bool</c>, <c>enumeration</c>, <c>phone_number</c>.</summary>
    public required string Type { get; init; }

    public required string FieldType { get; init; }

    public string GroupName { get; init; } = "companyinformation";

    public bool HasUniqueValue { get; init; }

    /// <summary>Calculated or system-managed: writes are refused.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Internal option values of an enumeration, in display order.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public JsonObject ToJson()
    {
        var options = new JsonArray();
        for (var i = 0; i < Options.Count; i++)
        {
            options.Add(new JsonObject { ["label"] = Options[i], ["value"] = Options[i], ["displayOrder"] = i, ["hidden"] = false });
        }

        return new JsonObject
        {
            ["name"] = Name,
            ["label"] = Label.Length == 0 ? Name : Label,
            ["type"] = Type,
            ["fieldType"] = FieldType,
            ["groupName"] = GroupName,
            ["hasUniqueValue"] = HasUniqueValue,
            ["calculated"] = ReadOnly,
            ["options"] = options,
            ["modificationMetadata"] = new JsonObject { ["archivable"] = !ReadOnly, ["readOnlyDefinition"] = ReadOnly, ["readOnlyValue"] = ReadOnly },
        };
    }
}
