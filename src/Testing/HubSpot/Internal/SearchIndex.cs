namespace Concord.Testing.HubSpot.Internal;

/// <summary>A record as search sees it: a copy taken when the write was indexed.</summary>
internal sealed record IndexedDoc(string Type, long Id, Dictionary<string, string> Properties, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// What search sees. Each write is copied into the index <c>delay</c> after it happened (facts §4: "a few moments"), so
/// a search right after a write may miss it or see the old values; archived records leave the index at once.
/// </summary>
internal sealed class SearchIndex(TimeProvider time, TimeSpan delay)
{
    private readonly Dictionary<long, IndexedDoc> _docs = [];
    private readonly List<(DateTimeOffset VisibleAt, IndexedDoc Doc)> _pending = [];

    public void Put(SimObject record)
    {
        if (!record.IsLive)
        {
            Remove(record.Id);
            return;
        }

        var doc = new IndexedDoc(record.Type, record.Id, new Dictionary<string, string>(record.Properties, StringComparer.Ordinal), record.CreatedAt, record.UpdatedAt);
        if (delay <= TimeSpan.Zero)
        {
            _docs[record.Id] = doc;
        }
        else
        {
            _pending.Add((time.GetUtcNow() + delay, doc));
        }
    }

    public void Remove(long id)
    {
        _docs.Remove(id);
        _pending.RemoveAll(p => p.Doc.Id == id);
    }

    public IEnumerable<IndexedDoc> Visible(string type)
    {
        if (_pending.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var (_, doc) in _pending.Where(p => p.VisibleAt <= now))
            {
                _docs[doc.Id] = doc;
            }

            _pending.RemoveAll(p => p.VisibleAt <= now);
        }

        return _docs.Values.Where(d => d.Type == type);
    }
}
