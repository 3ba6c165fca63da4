using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Concord.Connectors.Odoo.Api;

/// <summary>
/// One argument of an ORM call, written straight to the request body through its source-generated
/// <see cref="JsonTypeInfo{T}"/>: JSON-RPC puts it in <c>execute_kw</c>'s positional list or kwargs, JSON-2 in the
/// body object under <see cref="Name"/>.
/// </summary>
internal abstract class OdooArgument
{
    protected OdooArgument(string name, bool positional)
    {
        Name = name;
        Positional = positional;
    }

    /// <summary>The method's parameter name (the JSON-2 body key, the JSON-RPC kwarg name).</summary>
    public string Name { get; }

    /// <summary>Whether JSON-RPC must pass it positionally (the server reads <c>args[0]</c> for <c>create</c>, <c>load</c>, ...).</summary>
    public bool Positional { get; }

    public abstract void WriteValue(Utf8JsonWriter writer);

    public static OdooArgument Of<T>(string name, T value, JsonTypeInfo<T> typeInfo, bool positional = false) =>
        new Typed<T>(name, value, typeInfo, positional);

    public static OdooArgument Of(string name, OdooDomain domain, bool positional = false) =>
        new DomainArgument(name, domain, positional);

    /// <summary>An argument written by <paramref name="write"/> (a <c>write</c>'s vals, whose shape depends on the fields changed).</summary>
    public static OdooArgument Raw(string name, Action<Utf8JsonWriter> write, bool positional = false) =>
        new RawArgument(name, write, positional);

    private sealed class Typed<T>(string name, T value, JsonTypeInfo<T> typeInfo, bool positional) : OdooArgument(name, positional)
    {
        public override void WriteValue(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, value, typeInfo);
    }

    private sealed class RawArgument(string name, Action<Utf8JsonWriter> write, bool positional) : OdooArgument(name, positional)
    {
        public override void WriteValue(Utf8JsonWriter writer) => write(writer);
    }

    private sealed class DomainArgument(string name, OdooDomain domain, bool positional) : OdooArgument(name, positional)
    {
        public override void WriteValue(Utf8JsonWriter writer) => domain.WriteTo(writer);
    }
}
