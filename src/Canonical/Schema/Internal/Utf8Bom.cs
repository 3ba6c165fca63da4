namespace Concord.Canonical.Schema.Internal;

internal static class Utf8Bom
{
    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;
}
