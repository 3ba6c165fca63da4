namespace Concord.Canonical;

/// <summary>An email address; the first one in a list is the primary address.</summary>
public sealed record EmailAddress
{
    /// <summary>The address, trimmed and lower-cased (normalised form).</summary>
    public required string Address { get; init; }

    /// <summary>What the address is used for.</summary>
    /// <value>The default value is <see cref="ContactPointUse.Work"/>.</value>
    public ContactPointUse Use { get; init; } = ContactPointUse.Work;
}
