namespace Concord.Canonical;

/// <summary>
/// The identifier of a record in one external system, for example <c>("odoo", "42")</c> or
/// <c>("salesforce", "001xx000003DGb2AAG")</c>.
/// </summary>
/// <param name="System">The connector name the id belongs to (the registration name, such as <c>odoo</c>, or <c>eu</c> for <c>AddOdooConnector("eu", ...)</c>).</param>
/// <param name="Id">The id as the system spells it.</param>
public sealed record ExternalRef(string System, string Id)
{
    /// <inheritdoc />
    public override string ToString() => $"{System}:{Id}";
}
