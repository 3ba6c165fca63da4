using Xunit;

namespace Concord.Sync.Tests.Diagnostics;

/// <summary>
/// The tests that listen to Concord's <c>ActivitySource</c>, or assert what happens when nobody does: an
/// <c>ActivityListener</c> is process-wide, so these run apart from every other test (a listener of one test made the
/// outbox's publish span, and its <c>traceparent</c>, appear in another's "outside a trace" case).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActivityListenerCollection
{
    public const string Name = "Activity listeners";
}
