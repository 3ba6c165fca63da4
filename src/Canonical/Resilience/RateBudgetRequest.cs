namespace Concord.Canonical.Resilience;

/// <summary>One draw on a shared rate budget: see <see cref="IRateBudgetStore.TakeAsync"/>.</summary>
public sealed record RateBudgetRequest
{
    /// <summary>Gets the budget's name: one per (connector, vendor account), such as <c>hubspot:eu</c>.</summary>
    public required string Budget { get; init; }

    /// <summary>Gets the current time slice: the UTC time divided by the slice length, the same number in every instance.</summary>
    public required long Segment { get; init; }

    /// <summary>
    /// Gets the slice the granted permits are counted in until <see cref="IRateBudgetStore.ReleaseAsync"/> moves them
    /// (at least <see cref="Segment"/>): the current slice plus the longest an attempt may take, so the permits of an
    /// instance that stopped without releasing them free themselves a window after it.
    /// </summary>
    public required long HeldSegment { get; init; }

    /// <summary>Gets how many slices, the current one included, count toward <see cref="Limit"/> (at least 1).</summary>
    public required int WindowSegments { get; init; }

    /// <summary>Gets how many permits the caller wants (at least 1).</summary>
    public required int Permits { get; init; }

    /// <summary>Gets the most permits the window's slices may hold together (at least 1).</summary>
    public required int Limit { get; init; }

    /// <summary>Throws when a value is out of range; stores call it before they count.</summary>
    /// <exception cref="ArgumentException">The budget is empty or a number is below 1.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSegments, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Permits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(HeldSegment, Segment);
    }
}
