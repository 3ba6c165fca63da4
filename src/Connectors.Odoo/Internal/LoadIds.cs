using System.Text.Json;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>Reads <c>load</c>'s <c>ids</c>: a list of ids in row order, or <c>false</c> when the call was rolled back.</summary>
internal static class LoadIds
{
    public static long[]? Read(LoadResult result)
    {
        if (result.Ids.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new long[result.Ids.GetArrayLength()];
        var i = 0;
        foreach (var id in result.Ids.EnumerateArray())
        {
            ids[i++] = id.GetInt64();
        }

        return ids;
    }
}
