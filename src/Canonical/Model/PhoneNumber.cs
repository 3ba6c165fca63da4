namespace Concord.Canonical;

/// <summary>A phone number: the raw value as the source held it, and its E.164 form when one can be derived.</summary>
public sealed record PhoneNumber
{
    /// <summary>The value as the source system held it.</summary>
    public required string Raw { get; init; }

    /// <summary>The E.164 form (<c>+4930123456</c>), or null when the raw value cannot be parsed.</summary>
    public string? E164 { get; init; }

    /// <summary>What the number is used for.</summary>
    /// <value>The default value is <see cref="ContactPointUse.Work"/>.</value>
    public ContactPointUse Use { get; init; } = ContactPointUse.Work;
}
