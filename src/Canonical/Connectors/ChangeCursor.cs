namespace Concord.Canonical.Connectors;

/// <summary>
/// An opaque position in a connector's change feed. Only the connector that produced it can read it;
/// callers store and hand it back unchanged.
/// </summary>
/// <param name="Value">The connector's encoded position.</param>
public sealed record ChangeCursor(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
