using System.Text.Encodings.Web;
using System.Text.Json;
using Concord.Canonical.Normalization;
using Concord.Canonical.Serialization.Internal;

namespace Concord.Canonical.Serialization;

/// <summary>
/// The content fingerprint of a canonical customer: <c>sha256:</c> followed by 64 lower-case hex digits, the
/// SHA-256 of the customer's canonical form. Equal content gives equal fingerprints in every process and version;
/// the sync engine uses it to skip writes that would change nothing, and idempotency keys include it.
/// </summary>
/// <remarks>
/// <para>The canonical form is compact JSON with properties in ordinal order and null or empty values omitted,
/// after the cheap normalisations of <see cref="Normalize"/> (emails lower-cased, domain derived from the
/// website, codes upper-cased, language tags in canonical case, tax ids without separators). Tags are sorted
/// (their order is not content). A phone number counts by its E.164 form when it has one (the raw spelling is
/// presentation), by its trimmed raw value otherwise: run <see cref="CustomerNormalizer"/> first so that E.164 is
/// derived the same way everywhere. Strings are not Unicode-normalised (NFC and NFD spellings differ).</para>
/// <para>Left out: <see cref="CanonicalCustomer.Provenance"/>, <see cref="CanonicalCustomer.SchemaVersion"/>, and
/// <see cref="Contact.Id"/> and <see cref="Contact.ExternalRefs"/> (identity, not content).</para>
/// <para>Thread-safe; each thread reuses its own writer and hash, so computing a fingerprint allocates only the
/// result string (plus whatever normalisation of un-normalised values needs).</para>
/// </remarks>
public static class CustomerFingerprint
{
    /// <summary>The prefix of every fingerprint, naming the hash algorithm.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The length of a fingerprint: the prefix and 64 hex digits.</summary>
    public const int Length = 71;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Default,
        Indented = false,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static State? t_state;

    /// <summary>Computes the fingerprint of <paramref name="customer"/>'s content.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The fingerprint, for example <c>sha256:9f86d0…</c>.</returns>
    public static string Compute(CanonicalCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        Span<byte> hash = stackalloc byte[32];
        var state = t_state ?? new State();
        t_state = null; // a throwing or re-entrant call never sees a half-written state
        try
        {
            CanonicalFormWriter.Write(state.Writer, customer);
            state.Writer.Flush();
            state.Buffer.GetHashAndReset(hash);
            state.Writer.Reset(state.Buffer);
        }
        catch
        {
            state.Dispose();
            throw;
        }

        t_state = state;
        return string.Create(Length, hash, static (destination, bytes) =>
        {
            Prefix.AsSpan().CopyTo(destination);
            Convert.TryToHexStringLower(bytes, destination[Prefix.Length..], out _);
        });
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a fingerprint (<c>sha256:</c> and 64 lower-case hex digits).</summary>
    /// <param name="value">The value.</param>
    /// <returns>True when it does.</returns>
    public static bool IsFingerprint(string? value)
    {
        if (value is null || value.Length != Length || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the canonical form into a byte array (tests and diagnostics; the hot path never does).</summary>
    internal static byte[] CanonicalForm(CanonicalCustomer customer)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            CanonicalFormWriter.Write(writer, customer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed class State : IDisposable
    {
        public State()
        {
            Buffer = new HashingBufferWriter();
            Writer = new Utf8JsonWriter(Buffer, WriterOptions);
        }

        public HashingBufferWriter Buffer { get; }

        public Utf8JsonWriter Writer { get; }

        public void Dispose()
        {
            Writer.Dispose();
            Buffer.Dispose();
        }
    }
}
