using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api;

namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// What the change feed remembers between reads, encoded into <see cref="ChangeCursor.Value"/> as <c>o2.</c> and
/// base64url of a compact binary form. Its size is bounded — at most <see cref="MaxChunks"/> chunks of sent trees
/// twice over (inside a poll) and one <see cref="PartnerSetSketch"/>: about 10 KB at worst, whatever the number of
/// partners or the gaps between their ids. Every time in it is Odoo's own <c>write_date</c>: the connector never
/// compares with its own clock.
/// </summary>
internal sealed class ChangeCursorState
{
    /// <summary>How many <see cref="RootChunk"/>s a completed poll keeps.</summary>
    public const int MaxChunks = 160;

    private const string Prefix = "o2.";
    private const string LegacyPrefix = "o1.";
    private const byte Version = 2;

    /// <summary>The newest <c>write_date</c> (Unix seconds) of the completed polls; the next poll reads from it minus the overlap. Null: from the beginning.</summary>
    public long? Watermark { get; set; }

    /// <summary>Whether the cursor was taken inside a poll (then <see cref="LastRoot"/> tells how far it got).</summary>
    public bool InPoll { get; set; }

    /// <summary>Inside a poll: every tree up to this root id has been sent or was already up to date.</summary>
    public long LastRoot { get; set; }

    /// <summary>Inside a poll: partners the poll's check found deleted and has not reported yet.</summary>
    public List<long> PendingDeleted { get; set; } = [];

    /// <summary>Inside a poll: trees after <see cref="LastRoot"/> the poll's check found changed (a child deleted or moved) and has not reported yet.</summary>
    public List<long> PendingAffected { get; set; } = [];

    /// <summary>What was sent of the trees whose rows lie inside the window, by ranges of root ids.</summary>
    public List<RootChunk> Sent { get; set; } = [];

    /// <summary>Every (partner, root) pair at the last check for deletions, up to <see cref="BaselineHighId"/>; null before the first.</summary>
    public PartnerSetSketch? Baseline { get; set; }

    /// <summary>The highest partner id <see cref="Baseline"/> covers.</summary>
    public long BaselineHighId { get; set; }

    /// <summary>The newest <c>write_date</c> (Unix seconds) Odoo had shown when <see cref="Baseline"/> was last compared with Odoo's partners.</summary>
    public long CheckedAt { get; set; }

    /// <summary>From an <c>o1.</c> cursor of an earlier version: the root ids it had sent, checked once for deletions (the one poll whose cursors are not bounded).</summary>
    public IReadOnlyList<long>? LegacyKnownRoots { get; set; }

    public ChangeCursorState Clone() => new()
    {
        Watermark = Watermark,
        InPoll = InPoll,
        LastRoot = LastRoot,
        PendingDeleted = [.. PendingDeleted],
        PendingAffected = [.. PendingAffected],
        Sent = [.. Sent],
        Baseline = Baseline,
        BaselineHighId = BaselineHighId,
        CheckedAt = CheckedAt,
        LegacyKnownRoots = LegacyKnownRoots,
    };

    public ChangeCursor Encode()
    {
        var writer = new CursorWriter();
        writer.Byte(Version);
        var flags = (Watermark is null ? 0 : 1) | (InPoll ? 2 : 0) | (Baseline is null ? 0 : 8);
        writer.Byte((byte)flags);
        if (Watermark is long watermark)
        {
            writer.VarLong(watermark);
        }

        if (InPoll)
        {
            writer.VarLong(LastRoot);
            WriteIds(writer, PendingDeleted);
            WriteIds(writer, PendingAffected);
        }

        writer.VarUInt((ulong)Sent.Count);
        long previous = 0;
        foreach (var chunk in Sent)
        {
            writer.VarLong(chunk.From - previous);
            writer.VarUInt((ulong)(chunk.To - chunk.From));
            writer.VarUInt((ulong)chunk.Count);
            writer.Word(chunk.Hash);
            previous = chunk.To;
        }

        if (Baseline is not null)
        {
            writer.VarLong(BaselineHighId);
            writer.VarLong(CheckedAt);
            Baseline.Write(writer);
        }

        return new ChangeCursor(Prefix + Base64Url.EncodeToString(writer.Written));
    }

    public static ChangeCursorState Decode(ChangeCursor? cursor, string system)
    {
        if (cursor is null)
        {
            return new ChangeCursorState();
        }

        try
        {
            if (cursor.Value.StartsWith(LegacyPrefix, StringComparison.Ordinal))
            {
                return FromLegacy(cursor.Value[LegacyPrefix.Length..]);
            }

            if (!cursor.Value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new FormatException("Unknown cursor version.");
            }

            return Read(Base64Url.DecodeFromChars(cursor.Value.AsSpan(Prefix.Length)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or OverflowException)
        {
            throw new ConcordException(ErrorCategory.Configuration, "The change cursor was not produced by this Odoo connector (or is corrupt); pass null to read from the beginning.", ex)
            {
                System = system,
                Operation = "read-changes",
            };
        }
    }

    private static ChangeCursorState Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new CursorReader(bytes);
        if (reader.Byte() != Version)
        {
            throw new FormatException("Unknown cursor version.");
        }

        var flags = reader.Byte();
        var state = new ChangeCursorState
        {
            Watermark = (flags & 1) != 0 ? reader.VarLong() : null,
            InPoll = (flags & 2) != 0,
        };
        if (state.InPoll)
        {
            state.LastRoot = reader.VarLong();
            state.PendingDeleted = ReadIds(ref reader);
            state.PendingAffected = ReadIds(ref reader);
        }

        var chunks = reader.Count(2 * MaxChunks + 2);
        long previous = 0;
        for (var i = 0; i < chunks; i++)
        {
            var from = checked(previous + reader.VarLong());
            var to = checked(from + (long)reader.VarUInt());
            state.Sent.Add(new RootChunk(from, to, reader.Count(int.MaxValue), reader.Word()));
            previous = to;
        }

        if ((flags & 8) != 0)
        {
            state.BaselineHighId = reader.VarLong();
            state.CheckedAt = reader.VarLong();
            state.Baseline = PartnerSetSketch.Read(ref reader);
        }

        return reader.AtEnd ? state : throw new FormatException("The cursor has trailing bytes.");
    }

    private static void WriteIds(CursorWriter writer, List<long> ids)
    {
        writer.VarUInt((ulong)ids.Count);
        long previous = 0;
        foreach (var id in ids.Order())
        {
            writer.VarUInt((ulong)(id - previous));
            previous = id;
        }
    }

    private static List<long> ReadIds(ref CursorReader reader)
    {
        var count = reader.Count(10_000_000);
        var ids = new List<long>(Math.Min(count, 1024));
        long previous = 0;
        for (var i = 0; i < count; i++)
        {
            previous = checked(previous + (long)reader.VarUInt());
            ids.Add(previous);
        }

        return ids;
    }

    private static ChangeCursorState FromLegacy(string text)
    {
        var json = Base64Url.DecodeFromChars(text);
        var legacy = JsonSerializer.Deserialize(json, OdooJsonContext.Default.LegacyCursorV1) ?? throw new FormatException("Empty cursor.");

        // Resume from the older of the poll in progress and the newest change seen: a repeat at worst, never a gap.
        var from = RowFingerprint.Second(legacy.Low ?? legacy.MaxWriteDate);
        var known = new List<long>();
        for (var i = 0; i + 1 < legacy.KnownRanges.Count; i += 2)
        {
            for (var id = legacy.KnownRanges[i]; id <= legacy.KnownRanges[i + 1] && known.Count < 1_000_000; id++)
            {
                known.Add(id);
            }
        }

        return new ChangeCursorState
        {
            Watermark = legacy.Low is null && legacy.MaxWriteDate is null ? null : from,
            LegacyKnownRoots = known,
        };
    }
}

/// <summary>The JSON of an <c>o1.</c> cursor (the first version), read once to carry a consumer over.</summary>
internal sealed class LegacyCursorV1
{
    [JsonPropertyName("max")]
    public string? MaxWriteDate { get; set; }

    [JsonPropertyName("lo")]
    public string? Low { get; set; }

    [JsonPropertyName("known")]
    public List<long> KnownRanges { get; set; } = [];
}
