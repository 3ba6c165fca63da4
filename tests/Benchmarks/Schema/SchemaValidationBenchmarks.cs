using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Concord.Benchmarks.Engine;
using Concord.Canonical.Normalization;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Json.Schema;

namespace Concord.Benchmarks.Schema;

/// <summary>
/// customer.v1 validation of the record the engine validates (a normalised company from the engine benchmark's
/// generated feed, serialised to UTF-8: ~700 bytes, one contact, address, tax id and email), per record, valid and
/// invalid (an unknown address role and an email that is not one: two errors), in one run:
/// <list type="bullet">
/// <item>before: the NJsonSchema 11.6.2 validator Concord.Canonical used until now (the baseline of each category);</item>
/// <item>JsonSchema.Net 8.0.5 alone, flag output (parse + evaluate, no error report): what the library costs by itself;</item>
/// <item>after: <see cref="CanonicalSchema.CreateValidator"/> (fast path for valid records, JsonSchema.Net and the error
/// report for invalid ones).</item>
/// </list>
/// Target: at most 10 KB allocated per valid record.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SchemaValidationBenchmarks
{
    private const int Records = 100;

    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };

    private readonly ICustomerSchemaValidator _before = new NJsonSchemaBaselineValidator(new CustomerSchemaValidatorOptions());
    private readonly ICustomerSchemaValidator _after = CanonicalSchema.CreateValidator();
    private readonly Json.Schema.JsonSchema _jsonSchemaNet = Json.Schema.JsonSchema.FromText(CanonicalSchema.SchemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    private byte[][] _valid = [];
    private byte[][] _invalid = [];

    [GlobalSetup]
    public void Setup()
    {
        var source = new GeneratedSourceConnector("generated", Records);
        _valid = [.. Enumerable.Range(0, Records).Select(i => CanonicalJson.SerializeToUtf8Bytes(CustomerNormalizer.Normalize(source.Customer(i))))];
        _invalid = [.. _valid.Select(Invalidate)];

        // Each side must see what it is said to see.
        foreach (var (valid, invalid) in _valid.Zip(_invalid))
        {
            Check(_before.Validate(valid).IsValid && _after.Validate(valid).IsValid, "a valid record is refused");
            Check(_before.Validate(invalid).Errors.Length == 2 && _after.Validate(invalid).Errors.Length == 2, "an invalid record does not have its two errors");
            Check(Report(_before.Validate(invalid)) == Report(_after.Validate(invalid)), $"before and after report differently: {_before.Validate(invalid)} | {_after.Validate(invalid)}");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "before: NJsonSchema 11.6.2")]
    [BenchmarkCategory("valid")]
    public int NJsonSchemaValid() => Run(_before, _valid);

    [Benchmark(OperationsPerInvoke = Records, Description = "JsonSchema.Net 8.0.5 alone, flag output")]
    [BenchmarkCategory("valid")]
    public int JsonSchemaNetFlagValid()
    {
        var valid = 0;
        foreach (var record in _valid)
        {
            using var document = JsonDocument.Parse(record);
            valid += _jsonSchemaNet.Evaluate(document.RootElement, Flag).IsValid ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "after: Concord validator (JsonSchema.Net 8.0.5)")]
    [BenchmarkCategory("valid")]
    public int ConcordValid() => Run(_after, _valid);

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "before: NJsonSchema 11.6.2")]
    [BenchmarkCategory("invalid")]
    public int NJsonSchemaInvalid() => Run(_before, _invalid);

    [Benchmark(OperationsPerInvoke = Records, Description = "after: Concord validator (JsonSchema.Net 8.0.5)")]
    [BenchmarkCategory("invalid")]
    public int ConcordInvalid() => Run(_after, _invalid);

    private static int Run(ICustomerSchemaValidator validator, byte[][] records)
    {
        var errors = 0;
        foreach (var record in records)
        {
            errors += validator.Validate(record).Errors.Length;
        }

        return errors;
    }

    // Path, rule and message (positions differ: Json.NET reported where a value ends, Concord now where it starts).
    private static string Report(SchemaValidationResult result) =>
        string.Join("; ", result.Errors.Select(static e => $"{e.Path} {e.Rule} {e.Message}").Order(StringComparer.Ordinal));

    private static byte[] Invalidate(byte[] valid)
    {
        var json = Encoding.UTF8.GetString(valid);
        var invalid = json.Replace("\"role\":\"billing\"", "\"role\":\"invoice\"", StringComparison.Ordinal)
            .Replace("\"address\":\"info@", "\"address\":\"info-at-", StringComparison.Ordinal);
        Check(invalid != json, "the record has no billing address or info@ email to break");
        return Encoding.UTF8.GetBytes(invalid);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
