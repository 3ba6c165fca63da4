using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Concord.Canonical;
using Concord.Connectors.HubSpot;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Mapping;

namespace Concord.Benchmarks.HubSpot;

/// <summary>
/// The connector's write path per batch call (100 canonical companies mapped to HubSpot properties and serialised as
/// one <c>batch/upsert</c> body) against plain System.Text.Json writing the same JSON from ready-made DTOs. Target:
/// ratio ≤ 2.
/// </summary>
[MemoryDiagnoser]
public class HubSpotMappingBenchmarks
{
    private readonly HubSpotSchema _schema = new(new HubSpotConnectorOptions());
    private readonly MemoryStream _buffer = new(256 * 1024);
    private CanonicalCustomer[] _customers = [];
    private PlainBatch _plain = new();

    [GlobalSetup]
    public void Setup()
    {
        _customers = [.. Enumerable.Range(1, 100).Select(i => HubSpotBenchmarkData.Customer(string.Create(CultureInfo.InvariantCulture, $"map-{i}"), 0))];
        _plain = new PlainBatch
        {
            Inputs = [.. _customers.Select(c => new PlainInput
            {
                Id = c.Provenance.CanonicalId!,
                IdProperty = "concord_external_id",
                ObjectWriteTraceId = "k-" + c.Provenance.CanonicalId,
                Properties = CompanyMapper.ToCompany(c, _schema), // the same values, computed once: only serialisation is measured
            })],
        };
    }

    [Benchmark(Baseline = true, Description = "STJ: serialise ready DTOs (100)")]
    public long PlainSystemTextJson()
    {
        _buffer.SetLength(0);
        JsonSerializer.Serialize(_buffer, _plain, PlainHubSpotJsonContext.Default.PlainBatch);
        return _buffer.Length;
    }

    [Benchmark(Description = "Concord: map canonical + serialise (100)")]
    public long MapAndSerialize()
    {
        _buffer.SetLength(0);
        var inputs = new List<WriteInput>(_customers.Length);
        foreach (var customer in _customers)
        {
            inputs.Add(new WriteInput
            {
                Id = customer.Provenance.CanonicalId!,
                IdProperty = "concord_external_id",
                ObjectWriteTraceId = "k-" + customer.Provenance.CanonicalId,
                Properties = CompanyMapper.ToCompany(customer, _schema),
            });
        }

        JsonSerializer.Serialize(_buffer, new BatchInputs<WriteInput> { Inputs = inputs }, HubSpotJsonContext.Default.BatchInputsWriteInput);
        return _buffer.Length;
    }
}

public sealed class PlainBatch
{
    [JsonPropertyName("inputs")]
    public List<PlainInput> Inputs { get; set; } = [];
}

public sealed class PlainInput
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("idProperty")]
    public string? IdProperty { get; set; }

    [JsonPropertyName("properties")]
    public Dictionary<string, string> Properties { get; set; } = [];

    [JsonPropertyName("objectWriteTraceId")]
    public string? ObjectWriteTraceId { get; set; }
}

[JsonSerializable(typeof(PlainBatch))]
internal sealed partial class PlainHubSpotJsonContext : JsonSerializerContext;
