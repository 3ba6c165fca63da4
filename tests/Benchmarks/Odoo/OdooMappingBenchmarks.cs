using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Benchmarks.Odoo;

/// <summary>
/// The connector's write path for one batch of 200 companies (each with 2 contacts): canonical → <c>res.partner</c>
/// vals → <c>load</c> rows → the JSON-RPC <c>execute_kw</c> bodies of the two levels, against plain System.Text.Json
/// (reflection, default options) serialising the same rows. Reported per customer. Target: ratio ≤ 2.
/// </summary>
[MemoryDiagnoser]
public class OdooMappingBenchmarks
{
    private const int Customers = 200;
    private readonly OdooBenchmarkData.WarmLookup _lookup = new();
    private readonly MemoryStream _buffer = new(512 * 1024);
    private readonly Connectors.Odoo.Internal.OdooCalls _calls = new(new Connectors.Odoo.OdooConnectorOptions());
    private CanonicalCustomer[] _customers = [];
    private string[][] _rootRows = [];
    private string[][] _contactRows = [];
    private string[] _rootHeader = [];
    private string[] _contactHeader = [];

    [GlobalSetup]
    public void Setup()
    {
        // The mapper expects normalised customers, as the connector normalises before mapping.
        _customers = [.. Enumerable.Range(1, Customers).Select(i => CustomerNormalizer.Normalize(OdooBenchmarkData.Company(i)))];
        var (rootHeader, rootRows, contactHeader, contactRows) = Map();
        (_rootHeader, _rootRows, _contactHeader, _contactRows) = (rootHeader, rootRows, contactHeader, contactRows);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Customers, Description = "STJ: serialise the same load rows")]
    public long PlainSystemTextJson()
    {
        _buffer.SetLength(0);
#pragma warning disable CA1869 // Plain STJ on purpose: default options, reflection metadata.
        JsonSerializer.Serialize(_buffer, new object[] { "db", 2, "key", "res.partner", "load", new object[] { _rootHeader, _rootRows } });
        JsonSerializer.Serialize(_buffer, new object[] { "db", 2, "key", "res.partner", "load", new object[] { _contactHeader, _contactRows } });
#pragma warning restore CA1869
        return _buffer.Length;
    }

    [Benchmark(OperationsPerInvoke = Customers, Description = "Concord: map canonical + serialise")]
    public long MapAndSerialize()
    {
        _buffer.SetLength(0);
        var (rootHeader, rootRows, contactHeader, contactRows) = Map();
        Write(rootHeader, rootRows);
        Write(contactHeader, contactRows);
        return _buffer.Length;
    }

    private void Write(string[] header, string[][] rows)
    {
        var call = _calls.Load("res.partner", header, rows);
        var request = new JsonRpcRequest
        {
            Id = 1,
            Service = "object",
            Method = "execute_kw",
            WriteArgs = writer =>
            {
                writer.WriteStringValue("db");
                writer.WriteNumberValue(2);
                writer.WriteStringValue("key");
                writer.WriteStringValue(call.Model);
                writer.WriteStringValue(call.Method);
                writer.WriteStartArray();
                foreach (var argument in call.Arguments)
                {
                    argument.WriteValue(writer);
                }

                writer.WriteEndArray();
                writer.WriteStartObject();
                writer.WritePropertyName("context");
                call.Context.WriteTo(writer);
                writer.WriteEndObject();
            },
        };
        JsonSerializer.Serialize(_buffer, request, OdooJsonContext.Default.JsonRpcRequest);
    }

    private (string[] RootHeader, string[][] RootRows, string[] ContactHeader, string[][] ContactRows) Map()
    {
        var rootColumns = PartnerColumns.For(PartnerLevel.Root, hasMobile: true);
        var contactColumns = PartnerColumns.For(PartnerLevel.Contact, hasMobile: true);
        var rootRows = new string[_customers.Length][];
        var contactRows = new List<string[]>(_customers.Length * 2);
        var errors = new List<FieldError>();
        for (var i = 0; i < _customers.Length; i++)
        {
            var customer = _customers[i];
            var row = new string[rootColumns.Fields.Count + 1];
            row[0] = "__concord_canonical__." + ExternalIdNames.Customer(customer.Provenance.CanonicalId!);
            PartnerMapper.Root(customer, _lookup, hasMobile: true, errors).WriteCells(rootColumns, row, 1);
            rootRows[i] = row;
            foreach (var contact in customer.Contacts)
            {
                var contactRow = new string[contactColumns.Fields.Count + 1];
                contactRow[0] = "__concord_canonical__." + ExternalIdNames.Contact(customer.Provenance.CanonicalId!, contact);
                PartnerMapper.Contact(contact, 1000 + i, hasMobile: true).WriteCells(contactColumns, contactRow, 1);
                contactRows.Add(contactRow);
            }
        }

        return (rootColumns.Header("id"), rootRows, contactColumns.Header("id"), [.. contactRows]);
    }
}

