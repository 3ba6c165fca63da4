using System.Collections.Immutable;

namespace Concord.Testing;

/// <summary>One request a simulator received and what it did with it.</summary>
/// <param name="Sequence">The order of arrival, from 1.</param>
/// <param name="Time">When it arrived, on the simulator's clock.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The path, without query.</param>
/// <param name="Query">The query parameters.</param>
/// <param name="Headers">The headers; credentials (<c>Authorization</c>, cookies, API keys) are replaced by <c>***</c>.</param>
/// <param name="Body">The request body, or <see langword="null"/>.</param>
/// <param name="StatusCode">The status the simulator answered (for a lost response: the one the client never saw).</param>
/// <param name="Fault">The fault applied, or <see langword="null"/>.</param>
public sealed record JournalEntry(
    long Sequence,
    DateTimeOffset Time,
    string Method,
    string Path,
    ImmutableDictionary<string, string> Query,
    ImmutableDictionary<string, string> Headers,
    string? Body,
    int StatusCode,
    FaultKind? Fault)
{
    /// <summary>Whether a fault changed what the client saw (latency alone does not count).</summary>
    public bool Faulted => Fault is not null and not FaultKind.Latency;
}
