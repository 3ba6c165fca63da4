namespace Concord.Canonical.Normalization;

/// <summary>
/// BCP 47 (RFC 5646) well-formedness check and case normalisation: language lower case, script title
/// case, region upper case, everything else lower case. Underscores are read as hyphens (<c>en_US</c>,
/// as Odoo spells it, becomes <c>en-US</c>). Registry validity (is <c>qq</c> a language?) is not checked;
/// irregular grandfathered tags (<c>i-klingon</c>) are rejected.
/// </summary>
internal static class LanguageTag
{
    public const int MaxLength = 64;

    public static bool TryNormalize(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var tag = value.Trim();
        if (tag.Length > MaxLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[tag.Length];
        for (var i = 0; i < tag.Length; i++)
        {
            var c = tag[i];
            buffer[i] = c == '_' ? '-' : char.ToLowerInvariant(c);
        }

        if (!Parse(buffer))
        {
            return false;
        }

        // Already canonical (the common case on the hot path): no new string.
        normalized = ((ReadOnlySpan<char>)buffer).SequenceEqual(value) ? value : new string(buffer);
        return true;
    }

    // Parses the lower-cased tag in place, title-casing the script and upper-casing the region.
    private static bool Parse(Span<char> tag)
    {
        var position = 0;
        var state = State.Language;
        var expectExtensionSubtag = false;
        while (position <= tag.Length)
        {
            var end = tag[position..].IndexOf('-');
            end = end < 0 ? tag.Length : position + end;
            var subtag = tag[position..end];
            if (subtag.Length is 0 or > 8 || !IsAlphanumeric(subtag))
            {
                return false;
            }

            switch (state)
            {
                case State.Language:
                    if (subtag is ['x'])
                    {
                        state = State.PrivateUse;
                        expectExtensionSubtag = true;
                    }
                    else if (!IsAlpha(subtag) || subtag.Length == 1)
                    {
                        return false;
                    }
                    else
                    {
                        state = subtag.Length <= 3 ? State.ExtLang1 : State.Script;
                    }

                    break;

                case State.PrivateUse:
                    expectExtensionSubtag = false;
                    break;

                case State.Extension:
                    if (subtag.Length == 1)
                    {
                        if (expectExtensionSubtag)
                        {
                            return false;
                        }

                        expectExtensionSubtag = true;
                        if (subtag[0] == 'x')
                        {
                            state = State.PrivateUse;
                        }
                    }
                    else if (subtag.Length < 2)
                    {
                        return false;
                    }
                    else
                    {
                        expectExtensionSubtag = false;
                    }

                    break;

                default:
                    state = Classify(subtag, state, ref expectExtensionSubtag);
                    if (state == State.Invalid)
                    {
                        return false;
                    }

                    break;
            }

            if (end == tag.Length)
            {
                break;
            }

            position = end + 1;
            if (position == tag.Length)
            {
                return false; // trailing hyphen
            }
        }

        return !expectExtensionSubtag;
    }

    // Subtags after the language: extlang (up to three), script, region, variants, then extensions.
    private static State Classify(Span<char> subtag, State state, ref bool expectExtensionSubtag)
    {
        if (state is State.ExtLang1 or State.ExtLang2 or State.ExtLang3 && subtag.Length == 3 && IsAlpha(subtag))
        {
            return state switch
            {
                State.ExtLang1 => State.ExtLang2,
                State.ExtLang2 => State.ExtLang3,
                _ => State.Script,
            };
        }

        if (state is State.ExtLang1 or State.ExtLang2 or State.ExtLang3 or State.Script && subtag.Length == 4 && IsAlpha(subtag))
        {
            subtag[0] = char.ToUpperInvariant(subtag[0]);
            return State.Region;
        }

        if (state is State.ExtLang1 or State.ExtLang2 or State.ExtLang3 or State.Script or State.Region
            && ((subtag.Length == 2 && IsAlpha(subtag)) || (subtag.Length == 3 && IsDigits(subtag))))
        {
            subtag[0] = char.ToUpperInvariant(subtag[0]);
            subtag[1] = char.ToUpperInvariant(subtag[1]);
            return State.Variant;
        }

        if ((subtag.Length >= 5) || (subtag.Length == 4 && char.IsAsciiDigit(subtag[0])))
        {
            return State.Variant;
        }

        if (subtag.Length == 1)
        {
            expectExtensionSubtag = true;
            return subtag[0] == 'x' ? State.PrivateUse : State.Extension;
        }

        return State.Invalid;
    }

    private static bool IsAlphanumeric(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlpha(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private enum State
    {
        Language,
        ExtLang1,
        ExtLang2,
        ExtLang3,
        Script,
        Region,
        Variant,
        Extension,
        PrivateUse,
        Invalid,
    }
}
