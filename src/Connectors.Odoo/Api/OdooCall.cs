using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Api;

/// <summary>One ORM method call, independent of the wire (JSON-RPC <c>execute_kw</c> or JSON-2).</summary>
internal sealed record OdooCall
{
    public required string Model { get; init; }

    public required string Method { get; init; }

    /// <summary>The records a record method runs on (<c>read</c>, <c>write</c>); null for <c>@api.model</c> methods.</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    public IReadOnlyList<OdooArgument> Arguments { get; init; } = [];

    public required OdooContext Context { get; init; }

    /// <summary>Whether sending the call twice cannot write twice (reads, <c>load</c> by external id, absolute <c>write</c>).</summary>
    public bool Idempotent { get; init; } = true;

    public override string ToString() => $"{Model}.{Method}";
}
