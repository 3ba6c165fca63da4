namespace Concord.Canonical.Resilience;

/// <summary>
/// Where the permits of a shared rate budget are counted, so that every host instance calling one vendor account draws
/// from one budget. A budget is counted in time slices (<see cref="RateBudgetRequest.Segment"/>); a request is granted
/// only while the permits counted in the last <see cref="RateBudgetRequest.WindowSegments"/> slices stay within
/// <see cref="RateBudgetRequest.Limit"/>. A granted permit is counted in its hold slice
/// (<see cref="RateBudgetRequest.HeldSegment"/>, in the future) while its request is in flight, and moved by
/// <see cref="ReleaseAsync"/> to the slice where the request completed: the vendor counts a request when it arrives,
/// somewhere between its start and its answer, so the permit must count until then. Implementations make each call
/// atomic across every caller of the store (every process, for a shared database).
/// </summary>
/// <remarks>
/// The default (<see cref="InMemoryRateBudgetStore"/>) counts within one process; <c>Concord.Storage.PostgreSql</c>
/// replaces it with one that counts in the shared database. A connector uses the store only when its
/// <see cref="ConnectorResilienceOptions.SharedRateBudget"/> is set.
/// </remarks>
public interface IRateBudgetStore
{
    /// <summary>
    /// Counts up to <see cref="RateBudgetRequest.Permits"/> permits in the request's slice, never taking the window's count
    /// above <see cref="RateBudgetRequest.Limit"/>, and forgets slices that have left the window.
    /// </summary>
    /// <param name="request">The budget, the current slice, the window's length in slices, the permits wanted and the limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The permits granted: from 0 (the window is full) to <see cref="RateBudgetRequest.Permits"/>.</returns>
    ValueTask<int> TakeAsync(RateBudgetRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves <paramref name="permits"/> permits that <see cref="TakeAsync"/> counted in <paramref name="heldSegment"/>
    /// (their <see cref="RateBudgetRequest.HeldSegment"/>) to <paramref name="segment"/>, the slice in which their requests
    /// completed, so they count for the window after it and no longer until the hold ends. Permits no longer held (the
    /// hold left the window) are not counted again.
    /// </summary>
    /// <param name="budget">The budget's name.</param>
    /// <param name="heldSegment">The slice the permits were counted in while their requests were in flight.</param>
    /// <param name="segment">The current slice.</param>
    /// <param name="permits">How many permits to move (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the permits were moved.</returns>
    ValueTask ReleaseAsync(string budget, long heldSegment, long segment, int permits, CancellationToken cancellationToken = default);
}
