using System.Text;
using Concord.Canonical.Errors;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

/// <summary>Whatever bytes arrive, the validator answers with a result, never an exception.</summary>
public sealed class ValidatorFuzzTests
{
    private static readonly ICustomerSchemaValidator Validator = CanonicalSchema.CreateValidator();
    private static readonly byte[] Valid = CanonicalJson.SerializeToUtf8Bytes(SampleCustomers.Acme());
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true);

    [Fact]
    public void Arbitrary_text_never_throws()
    {
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var result = Validator.Validate(text ?? string.Empty);
            return !result.IsValid || text is null;
        }));
    }

    [Fact]
    public void Truncated_or_corrupted_documents_never_throw_and_are_rejected_or_still_valid_JSON()
    {
        var edits =
            from position in Gen.Choose(0, Valid.Length - 1)
            from value in Gen.Choose(0, 255)
            from truncate in Gen.Elements(true, false)
            select (position, (byte)value, truncate);

        Check.One(Config, Prop.ForAll(edits.ToArbitrary(), edit =>
        {
            var bytes = edit.truncate ? Valid[..edit.position] : Valid.ToArray();
            if (!edit.truncate)
            {
                bytes[edit.position] = edit.Item2;
            }

            var fromBytes = Validator.Validate(bytes);
            var fromText = Validator.Validate(Encoding.UTF8.GetString(bytes));
            return fromBytes.IsValid == IsReadable(bytes) && (fromBytes.IsValid || !fromBytes.Errors.IsEmpty) && fromText is not null;
        }));
    }

    [Theory]
    [InlineData("2024-03-81T09:30:00+00:00")] // found by the fuzzer: (1105, '8', false), a day the pattern let through
    [InlineData("2024-13-01T09:30:00+00:00")]
    [InlineData("2024-03-01T39:30:00+00:00")]
    [InlineData("2024-03-01T09:70:00+00:00")]
    [InlineData("2024-03-01T09:30:00+80:00")]
    public void A_date_time_the_model_cannot_read_is_refused_by_the_schema(string recordedAt)
    {
        var text = Encoding.UTF8.GetString(Valid).Replace("2024-03-01T09:30:00+00:00", recordedAt, StringComparison.Ordinal);
        Assert.NotEqual(Encoding.UTF8.GetString(Valid), text);

        var result = Validator.Validate(Encoding.UTF8.GetBytes(text));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ToString().Contains("RFC 3339", StringComparison.Ordinal));
    }

    // A corrupted document the validator accepts must still deserialize: the schema never lets through what the model refuses.
    private static bool IsReadable(byte[] bytes)
    {
        try
        {
            Validator.DeserializeValid(bytes);
            return true;
        }
        catch (ConcordException)
        {
            return false;
        }
    }
}
