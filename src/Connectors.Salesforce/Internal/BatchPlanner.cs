namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// Splits items into chunks of at most <c>batchSize</c> in input order, never putting the same external id twice in one
/// chunk (Salesforce fails such a pair per record): a repeated id starts the next chunk.
/// </summary>
internal static class BatchPlanner
{
    public static List<List<int>> Plan(IReadOnlyList<string> keys, int batchSize)
    {
        var chunks = new List<List<int>>(keys.Count / batchSize + 1);
        var current = new List<int>(Math.Min(batchSize, keys.Count));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (current.Count == batchSize || !seen.Add(keys[i]))
            {
                chunks.Add(current);
                current = new List<int>(batchSize);
                seen.Clear();
                seen.Add(keys[i]);
            }

            current.Add(i);
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }
}
