using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Concord.Canonical;
using Concord.Connectors.Zendesk;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Mapping;

namespace Concord.Benchmarks.Zendesk;

/// <summary>
/// The connector's write path per job (100 canonical customers mapped to organizations and serialised as one
/// <c>create_many</c> body) against plain System.Text.Json writing the same JSON from ready-made DTOs. Target: ratio ≤ 2.
/// </summary>
[MemoryDiagnoser]
public class ZendeskMappingBenchmarks
{
    private readonly ZendeskMapper _mapper = new(new ZendeskConnectorOptions(), "zendesk");
    private readonly MemoryStream _buffer = new(256 * 1024);
    private CanonicalCustomer[] _customers = [];
    private PlainOrganizations _plain = new();

    [GlobalSetup]
    public void Setup()
    {
        _customers = [.. Enumerable.Range(1, 100).Select(i => ZendeskData.Customer(string.Create(CultureInfo.InvariantCulture, $"map-{i}"), 0))];
        _plain = new PlainOrganizations
        {
            Organizations = [.. _customers.Select(c => new PlainOrganization
            {
                Name = c.Name,
                ExternalId = c.Provenance.CanonicalId!,
                DomainNames = [c.Domain!],
                Details = "Unter den Linden 1\n10117 Berlin\nDE-BE, DE",
                Notes = c.Notes,
                Tags = ["vip"],
                OrganizationFields = new Dictionary<string, string?>
                {
                    ["concord_tax_ids"] = "DE:vat:DE811907980",
                    ["concord_currency"] = "EUR",
                    ["concord_lifecycle_stage"] = "customer",
                },
            })],
        };
    }

    [Benchmark(Baseline = true, Description = "STJ: serialise ready DTOs (100)")]
    public long PlainSystemTextJson()
    {
        _buffer.SetLength(0);
        JsonSerializer.Serialize(_buffer, _plain, PlainZendeskJsonContext.Default.PlainOrganizations);
        return _buffer.Length;
    }

    [Benchmark(Description = "Concord: map canonical + serialise (100)")]
    public long MapAndSerialize()
    {
        _buffer.SetLength(0);
        var organizations = new List<OrganizationWrite>(_customers.Length);
        foreach (var customer in _customers)
        {
            organizations.Add(_mapper.ToOrganization(customer));
        }

        JsonSerializer.Serialize(_buffer, new OrganizationsWriteEnvelope { Organizations = organizations }, ZendeskJsonContext.Default.OrganizationsWriteEnvelope);
        return _buffer.Length;
    }
}

public sealed class PlainOrganizations
{
    public List<PlainOrganization> Organizations { get; set; } = [];
}

public sealed class PlainOrganization
{
    public string Name { get; set; } = string.Empty;

    public string ExternalId { get; set; } = string.Empty;

    public List<string> DomainNames { get; set; } = [];

    public string? Details { get; set; }

    public string? Notes { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, string?> OrganizationFields { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PlainOrganizations))]
internal sealed partial class PlainZendeskJsonContext : JsonSerializerContext;
