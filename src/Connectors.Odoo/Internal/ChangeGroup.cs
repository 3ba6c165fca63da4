using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>
/// What an update changes on an existing partner — the fields whose <c>load</c> cells differ from what Odoo holds, with
/// their new values — and the partners that share exactly that change, so that they can go as one <c>write</c>.
/// </summary>
internal sealed class ChangeGroup
{
    private readonly PartnerColumns _columns;
    private readonly int[] _changed;
    private readonly string[] _cells;

    private ChangeGroup(PartnerColumns columns, int[] changed, string[] cells, string key)
    {
        _columns = columns;
        _changed = changed;
        _cells = cells;
        Key = key;
    }

    /// <summary>The change as text (<c>field=value</c> per changed field), equal for equal changes.</summary>
    public string Key { get; }

    public List<PartnerPlan> Partners { get; } = [];

    /// <summary>The change from <paramref name="current"/> to <paramref name="wanted"/> over <paramref name="columns"/>, or null when there is none.</summary>
    public static ChangeGroup? Of(PartnerVals wanted, PartnerRecord current, PartnerColumns columns)
    {
        var now = PartnerVals.FromRecord(current);
        var accessors = columns.Accessors;
        List<int>? changed = null;
        List<string>? cells = null;
        for (var i = 0; i < accessors.Length; i++)
        {
            var cell = accessors[i](wanted);
            if (!string.Equals(cell, accessors[i](now), StringComparison.Ordinal))
            {
                (changed ??= []).Add(i);
                (cells ??= []).Add(cell);
            }
        }

        if (changed is null)
        {
            return null;
        }

        var key = new StringBuilder();
        for (var i = 0; i < changed.Count; i++)
        {
            key.Append(columns.Fields[changed[i]]).Append('\u001f').Append(cells![i]).Append('\u001e');
        }

        return new ChangeGroup(columns, [.. changed], [.. cells!], key.ToString());
    }

    /// <summary>The <c>write</c> vals: the changed fields with ORM values (<c>false</c> for empty, ids for relations, <c>[6, 0, ids]</c> for tags).</summary>
    public void WriteVals(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < _changed.Length; i++)
        {
            var column = _columns.Fields[_changed[i]];
            var cell = _cells[i];
            if (column is "is_company" or "active")
            {
                writer.WriteBoolean(column, cell == "1");
            }
            else if (column.EndsWith("/.id", StringComparison.Ordinal))
            {
                var field = column[..^4];
                if (field == "category_id")
                {
                    writer.WriteStartArray(field);
                    writer.WriteStartArray();
                    writer.WriteNumberValue(6);
                    writer.WriteNumberValue(0);
                    writer.WriteStartArray();
                    foreach (var id in cell.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        writer.WriteNumberValue(long.Parse(id, CultureInfo.InvariantCulture));
                    }

                    writer.WriteEndArray();
                    writer.WriteEndArray();
                    writer.WriteEndArray();
                }
                else if (cell.Length == 0)
                {
                    writer.WriteBoolean(field, false);
                }
                else
                {
                    writer.WriteNumber(field, long.Parse(cell, CultureInfo.InvariantCulture));
                }
            }
            else if (cell.Length == 0)
            {
                writer.WriteBoolean(column, false);
            }
            else
            {
                writer.WriteString(column, cell);
            }
        }

        writer.WriteEndObject();
    }
}
