using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Concord.Canonical;
using Concord.Connectors.Salesforce;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Internal;
using Concord.Connectors.Salesforce.Mapping;

namespace Concord.Benchmarks.Salesforce;

/// <summary>
/// The connector's write path per collections call (200 canonical customers mapped to Accounts and serialised as one
/// upsert body) against plain System.Text.Json writing the same JSON from ready-made DTOs. Target: ratio ≤ 2. The
/// connector's body also names every mapped field it clears (explicit nulls), which the plain DTOs leave out.
/// </summary>
[MemoryDiagnoser]
public class SalesforceMappingBenchmarks
{
    private readonly SalesforceConnectorOptions _options = new();
    private readonly OrgContext _org = new(new SalesforceConnectorOptions(), account: null);
    private CanonicalCustomer[] _customers = [];
    private PlainUpsert _plain = new();
    private readonly MemoryStream _buffer = new(256 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _customers = [.. Enumerable.Range(1, 200).Select(i => MappingData.Customer(string.Create(CultureInfo.InvariantCulture, $"map-{i}"), 0))];
        _plain = new PlainUpsert
        {
            Records = [.. _customers.Select(c => new PlainAccount
            {
                Attributes = new PlainAttributes { Type = "Account" },
                Name = c.Name,
                Website = c.Website,
                Phone = c.Phones[0].E164,
                Description = c.Notes,
                BillingStreet = c.Addresses[0].Street,
                BillingCity = c.Addresses[0].City,
                BillingState = "BE",
                BillingPostalCode = c.Addresses[0].PostalCode,
                BillingCountry = c.Addresses[0].Country,
                ShippingStreet = c.Addresses[1].Street,
                ShippingCity = c.Addresses[1].City,
                ShippingState = "HH",
                ShippingPostalCode = c.Addresses[1].PostalCode,
                ShippingCountry = c.Addresses[1].Country,
                Concord_Id__c = c.Provenance.CanonicalId,
            })],
        };
    }

    [Benchmark(Baseline = true, Description = "STJ: serialise ready DTOs (200)")]
    public long PlainSystemTextJson()
    {
        _buffer.SetLength(0);
        JsonSerializer.Serialize(_buffer, _plain, PlainJsonContext.Default.PlainUpsert);
        return _buffer.Length;
    }

    [Benchmark(Description = "Concord: map canonical + serialise (200)")]
    public long MapAndSerialize()
    {
        _buffer.SetLength(0);
        var records = new List<SObjectBody>(_customers.Length);
        foreach (var customer in _customers)
        {
            records.Add(AccountMapper.ToAccountBody(customer, _options, _org, id: null));
        }

        JsonSerializer.Serialize(_buffer, new CollectionRequest { Records = records }, SalesforceJsonContext.Default.CollectionRequest);
        return _buffer.Length;
    }
}

public sealed class PlainUpsert
{
    [JsonPropertyName("allOrNone")]
    public bool AllOrNone { get; set; }

    [JsonPropertyName("records")]
    public List<PlainAccount> Records { get; set; } = [];
}

public sealed class PlainAttributes
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }
}

#pragma warning disable CA1707 // Salesforce field name
public sealed class PlainAccount
{
    [JsonPropertyName("attributes")]
    public PlainAttributes? Attributes { get; set; }

    public string? Name { get; set; }

    public string? Website { get; set; }

    public string? Phone { get; set; }

    public string? Description { get; set; }

    public string? BillingStreet { get; set; }

    public string? BillingCity { get; set; }

    public string? BillingState { get; set; }

    public string? BillingPostalCode { get; set; }

    public string? BillingCountry { get; set; }

    public string? ShippingStreet { get; set; }

    public string? ShippingCity { get; set; }

    public string? ShippingState { get; set; }

    public string? ShippingPostalCode { get; set; }

    public string? ShippingCountry { get; set; }

    public string? Concord_Id__c { get; set; }
}
#pragma warning restore CA1707

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PlainUpsert))]
internal sealed partial class PlainJsonContext : JsonSerializerContext;
