using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Diagnostics;

/// <summary>
/// The sync engine's log messages (source-generated). Every message carries the flow and the correlation id; values
/// that may hold personal data (reasons, vendor messages) are masked with <see cref="PersonalDataMasker"/> before they get here.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Flow {Flow} run {CorrelationId} started")]
    public static partial void RunStarted(ILogger logger, string flow, string correlationId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information,
        Message = "Flow {Flow} run {CorrelationId} finished in {ElapsedMs} ms: {Read} read, {Created} created, {Updated} updated, {Unchanged} unchanged, {Refused} refused by ownership, {DeadLettered} dead-lettered, {Deferred} deferred, {DuplicatesAvoided} duplicates avoided")]
    public static partial void RunCompleted(ILogger logger, string flow, string correlationId, long elapsedMs, int read, int created, int updated, int unchanged, int refused, int deadLettered, int deferred, int duplicatesAvoided);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Flow {Flow} run {CorrelationId} stopped: {Reason}")]
    public static partial void RunStopped(ILogger logger, string flow, string correlationId, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning,
        Message = "Flow {Flow} run {CorrelationId} dead-lettered {SourceSystem} record {SourceExternalId} (target {Target}, {Category}): {Reason}")]
    public static partial void RecordDeadLettered(ILogger logger, string flow, string correlationId, string sourceSystem, string sourceExternalId, string target, ErrorCategory category, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information,
        Message = "Flow {Flow} run {CorrelationId} deferred {SourceSystem} record {SourceExternalId} to the next run (target {Target}, {Category}, attempt {Attempt}): {Reason}")]
    public static partial void RecordDeferred(ILogger logger, string flow, string correlationId, string sourceSystem, string sourceExternalId, string target, ErrorCategory category, int attempt, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning,
        Message = "Flow {Flow} paused for target {Target} ({Category}) in run {CorrelationId}: {Reason}; no record uses up a delivery attempt while it is paused, and the first call from {NextProbeAt:O} probes it")]
    public static partial void TargetPaused(ILogger logger, string flow, string correlationId, string target, ErrorCategory category, string reason, DateTimeOffset nextProbeAt);

    [LoggerMessage(EventId = 6030, Level = LogLevel.Information, Message = "Flow {Flow} resumed for target {Target} in run {CorrelationId}, after a pause of {PausedSeconds} s")]
    public static partial void TargetResumed(ILogger logger, string flow, string correlationId, string target, long pausedSeconds);

    [LoggerMessage(EventId = 6031, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId}: probe {Probe} of paused target {Target} failed ({Category}); the next from {NextProbeAt:O}")]
    public static partial void TargetProbeFailed(ILogger logger, string flow, string correlationId, string target, ErrorCategory category, int probe, DateTimeOffset nextProbeAt);

    [LoggerMessage(EventId = 6032, Level = LogLevel.Debug, Message = "Flow {Flow} run {CorrelationId} stopped: {Reason}")]
    public static partial void RunStoppedWhilePaused(ILogger logger, string flow, string correlationId, string reason);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId} committed a page of {Records} records (cursor moved: {CursorMoved})")]
    public static partial void PageCommitted(ILogger logger, string flow, string correlationId, int records, bool cursorMoved);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Error, Message = "Flow {Flow} run failed ({Category}): {Reason}")]
    public static partial void RunFailed(ILogger logger, string flow, ErrorCategory category, string reason);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Debug, Message = "Outbox event {EventId} ({EventType}) of {Subject} published, correlation {CorrelationId}")]
    public static partial void EventPublished(ILogger logger, string eventId, string eventType, string? subject, string correlationId);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Outbox event {EventId} ({EventType}) could not be published (attempt {Attempt}), correlation {CorrelationId}: {Reason}")]
    public static partial void EventPublishFailed(ILogger logger, string eventId, string eventType, int attempt, string correlationId, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning,
        Message = "Flow {Flow} run {CorrelationId}: committing a page failed ({Reason}); committing its records one by one")]
    public static partial void PageCommitConflict(ILogger logger, string flow, string correlationId, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information,
        Message = "Reconciliation of flow {Flow} ({CorrelationId}): {Compared} compared, {Drift} differences, {Repaired} repaired")]
    public static partial void Reconciled(ILogger logger, string flow, string correlationId, int compared, int drift, int repaired);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning,
        Message = "Flow {Flow} run {CorrelationId}: a batch {Operation} of {Count} records in {Target} failed ({Category}); reading them one at a time so that only the record at fault fails")]
    public static partial void BatchReadFellBack(ILogger logger, string flow, string correlationId, string target, string operation, int count, ErrorCategory category);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Information,
        Message = "Purged finished state: {DeliveredEvents} delivered events, {IdempotencyKeys} idempotency keys, {DeadLetters} resolved dead letters, {AuditEntries} audit entries, {WebhookEvents} completed webhook events")]
    public static partial void StatePurged(ILogger logger, long deliveredEvents, long idempotencyKeys, long deadLetters, long auditEntries, long webhookEvents);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Warning, Message = "Purging finished state failed ({Category}): {Reason}; trying again at the next interval")]
    public static partial void StatePurgeFailed(ILogger logger, ErrorCategory category, string reason);

    [LoggerMessage(EventId = 6052, Level = LogLevel.Warning,
        Message = "Dropped {Count} events that no publisher took within {Retention} (StateRetentionOptions.UndeliveredEvents); register an IOutboxPublisher, or keep undelivered events longer")]
    public static partial void UndeliveredEventsDropped(ILogger logger, long count, TimeSpan retention);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId}: another writer holds a record's lease on {Target} until {HeldUntil}; the record is deferred without using up an attempt")]
    public static partial void LeaseHeld(ILogger logger, string flow, string correlationId, string target, DateTimeOffset? heldUntil);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information,
        Message = "Flow {Flow} run {CorrelationId}: completing {Count} interrupted writes to {Target} (lost response, cancellation or crash) with their real outcome")]
    public static partial void WritesRecovered(ILogger logger, string flow, string correlationId, string target, int count);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information,
        Message = "Flow {Flow} run {CorrelationId}: {Count} interrupted writes of other versions or flows were found applied at {Target}; each is audited and announced as the write it was")]
    public static partial void WritesCompleted(ILogger logger, string flow, string correlationId, string target, int count);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning,
        Message = "Flow {Flow}: renewing write leases failed ({Category}: {Reason}); they are renewed again before the next vendor call")]
    public static partial void LeaseRenewalFailed(ILogger logger, string flow, ErrorCategory category, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning,
        Message = "Flow {Flow}: {Count} write leases were taken over by another writer while their wave was still writing; nothing more is written under them")]
    public static partial void LeasesLost(ILogger logger, string flow, int count);
}
