namespace Concord.Sync.DeadLetters;

/// <summary>Closes an open (deferred or dead-lettered) entry.</summary>
/// <param name="Id">The entry id.</param>
/// <param name="Status"><see cref="DeadLetterStatus.Resolved"/> or <see cref="DeadLetterStatus.Discarded"/>.</param>
/// <param name="At">When.</param>
public sealed record DeadLetterResolution(string Id, DeadLetterStatus Status, DateTimeOffset At);
