using System.Threading.RateLimiting;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>A rate limiter's lease that, when refused, may say how long to wait (<see cref="MetadataName.RetryAfter"/>).</summary>
/// <param name="isAcquired">Whether the permits were granted.</param>
/// <param name="retryAfter">How long to wait before asking again, when known.</param>
internal class RetryAfterLease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
{
    public override bool IsAcquired => isAcquired;

    public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = wait;
            return true;
        }

        metadata = null;
        return false;
    }
}
