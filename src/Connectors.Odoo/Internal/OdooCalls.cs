using System.Text.Json;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>Builders for the ORM calls the connector makes, so that their shapes (positional vs named) live in one place.</summary>
internal sealed class OdooCalls
{
    private readonly OdooContext _read;
    private readonly OdooContext _write;

    public OdooCalls(OdooConnectorOptions options)
    {
        _read = new OdooContext { Lang = options.Language, ActiveTest = false, AllowedCompanyIds = [.. options.CompanyIds] };
        _write = _read with { QuietWrites = true };
    }

    public OdooCall SearchRead(string model, OdooDomain domain, IReadOnlyList<string> fields, int? limit = null, string? order = null)
    {
        var arguments = new List<OdooArgument>(4)
        {
            OdooArgument.Of("domain", domain),
            OdooArgument.Of("fields", [.. fields], OdooJsonContext.Default.StringArray),
        };
        if (limit is int max)
        {
            arguments.Add(OdooArgument.Of("limit", max, OdooJsonContext.Default.Int32));
        }

        if (order is not null)
        {
            arguments.Add(OdooArgument.Of("order", order, OdooJsonContext.Default.String));
        }

        return new OdooCall { Model = model, Method = "search_read", Arguments = arguments, Context = _read };
    }

    public OdooCall Search(string model, OdooDomain domain, int? limit = null, string? order = null)
    {
        var arguments = new List<OdooArgument>(3) { OdooArgument.Of("domain", domain, positional: true) };
        if (limit is int max)
        {
            arguments.Add(OdooArgument.Of("limit", max, OdooJsonContext.Default.Int32));
        }

        if (order is not null)
        {
            arguments.Add(OdooArgument.Of("order", order, OdooJsonContext.Default.String));
        }

        return new OdooCall { Model = model, Method = "search", Arguments = arguments, Context = _read };
    }

    public OdooCall Load(string model, string[] fields, string[][] rows) => new()
    {
        Model = model,
        Method = "load",
        Arguments =
        [
            OdooArgument.Of("fields", fields, OdooJsonContext.Default.StringArray, positional: true),
            OdooArgument.Of("data", rows, OdooJsonContext.Default.StringArrayArray, positional: true),
        ],
        Context = _write,

        // load keyed by external ids (or database ids) is an upsert: sending it twice writes the same rows.
        Idempotent = true,
    };

    /// <summary><c>write(ids, vals)</c>: the same absolute values on every id, so sending it twice writes the same.</summary>
    public OdooCall Write(string model, IReadOnlyList<long> ids, Action<Utf8JsonWriter> writeVals) => new()
    {
        Model = model,
        Method = "write",
        Ids = ids,
        Arguments = [OdooArgument.Raw("vals", writeVals, positional: true)],
        Context = _write,
        Idempotent = true,
    };

    public OdooCall CreateModelData(ModelDataVals[] vals) => new()
    {
        Model = "ir.model.data",
        Method = "create",
        Arguments = [OdooArgument.Of("vals_list", vals, OdooJsonContext.Default.ModelDataValsArray, positional: true)],
        Context = _write,

        // ir.model.data is unique on (module, name): a repeated create fails with a conflict instead of writing twice.
        Idempotent = true,
    };
}
