namespace Concord.Canonical.Connectors;

/// <summary>
/// An optional capability of an <see cref="ICustomerConnector"/>: it says whether its target is known to be
/// down (an open circuit, a spent daily quota) before any call is made. A flow then applies its
/// <c>TargetPolicy</c> (Concord.Sync) to the target at once instead of discovering it with a failed call.
/// </summary>
public interface ITargetHealth
{
    /// <summary>Whether calls to the target can be expected to succeed now.</summary>
    bool IsAvailable { get; }

    /// <summary>Why the target is unavailable (no secret, no personal data), when <see cref="IsAvailable"/> is false.</summary>
    string? UnavailableReason { get; }
}
