namespace Concord.Canonical.Resilience;

/// <summary>
/// Where the permits of a shared rate budget are counted, so that every host instance calling one vendor account draws
/// from one budget. A budget is counted in time slices (<see cref="RateBudgetRequest.Segment"/>); a request is granted
/// only while the permits counted in the last <see cref="RateBudgetRequest.WindowSegments"/> slices stay within
/// <see cref="RateBudgetRequest.Limit"/>. Implementations make each <see cref="TakeAsync"/> atomic across every caller
/// of the store (every process, for a shared database).
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
}
