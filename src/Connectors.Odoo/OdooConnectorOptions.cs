using Concord.Canonical.Connectors;

namespace Concord.Connectors.Odoo;

/// <summary>
/// How one Odoo connector instance reaches its server. Bind it from configuration (<c>Concord:Odoo</c> for the default
/// instance, <c>Concord:Odoo:eu</c> by convention for the instance named <c>eu</c>); it is validated when the host
/// starts, and every message names the configuration path of the value. <see cref="ConnectorOptions"/> holds what every
/// connector has: <see cref="ConnectorOptions.BaseAddress"/> (the server, <c>https://acme.odoo.com</c>),
/// <see cref="ConnectorOptions.AllowInsecureHttp"/>, <see cref="ConnectorOptions.BatchSize"/> (partners per <c>load</c>
/// call and level: 200 by default, at most <see cref="MaxBatchSize"/>) and <see cref="ConnectorOptions.Resilience"/>
/// (Odoo has no published rate limit; the default allows 10 calls per second, 30 s per attempt).
/// </summary>
public sealed class OdooConnectorOptions : ConnectorOptions
{
    /// <summary>The name of the default instance, and the vendor family: <c>odoo</c>.</summary>
    public const string DefaultName = "odoo";

    /// <summary>The configuration section of the default instance: <c>Concord:Odoo</c>.</summary>
    public const string SectionName = "Concord:Odoo";

    /// <summary>The largest <see cref="ConnectorOptions.BatchSize"/>: 5,000 partners per <c>load</c> call (Odoo's import takes 100–500 rows comfortably within <c>limit_time_real</c>).</summary>
    public const int MaxBatchSize = 5000;

    /// <summary>Creates the options with their defaults (a batch size of 200).</summary>
    public OdooConnectorOptions()
        : base(defaultBatchSize: 200, maxBatchSize: MaxBatchSize)
    {
    }

    /// <summary>Gets or sets the database name. Required (JSON-RPC passes it to every call; JSON-2 sends it as <c>X-Odoo-Database</c>).</summary>
    public string? Database { get; set; }

    /// <summary>Gets or sets the login of the API user (a dedicated bot user). Required unless <see cref="ApiFlavor"/> is <see cref="OdooApiFlavor.Json2"/>.</summary>
    public string? Login { get; set; }

    /// <summary>Gets or sets the user's API key (Preferences → Account Security → New API Key). Required; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets which API to speak.</summary>
    /// <value>The default value is <see cref="OdooApiFlavor.Auto"/>: the version is detected once, JSON-2 on 19.0+, JSON-RPC on 16.0–18.x.</value>
    public OdooApiFlavor ApiFlavor { get; set; } = OdooApiFlavor.Auto;

    /// <summary>Gets or sets how many partners one change-feed page reads; also how many partners, each with its contacts and addresses, one read by id carries (<c>GetManyAsync</c>, and the partners <c>FindManyAsync</c> matched).</summary>
    /// <value>The default value is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets how far back each change poll re-reads from the newest <c>write_date</c> already seen, so that a
    /// transaction that committed late (its <c>write_date</c> is its start time) is not missed. At least Odoo's
    /// <c>limit_time_real</c> (120 s by default).
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan ChangeOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets every how many change polls the partners' (id, parent) pairs are compared with those of the previous
    /// check, to find hard deletes (Odoo keeps no tombstone) and children moved or detached without a new
    /// <c>write_date</c> on their former company. A check reads two fields of every partner; it also runs whenever
    /// Odoo's newest <c>write_date</c> has moved on by half of <see cref="ChangeOverlap"/> since the last one.
    /// </summary>
    /// <value>The default value is 10; 1 checks on every poll.</value>
    public int DeleteCheckEveryPolls { get; set; } = 10;

    /// <summary>Gets the companies the API user works in; the first is the current company (<c>allowed_company_ids</c>). Empty: the user's defaults.</summary>
    public IList<int> CompanyIds { get; } = [];

    /// <summary>
    /// Gets or sets the <c>ir.model.data</c> module under which Concord's external ids live. It must not be an installed
    /// module's name (rows under a module are deleted when it is upgraded), so it starts and ends with <c>__</c>.
    /// </summary>
    /// <value>The default value is null: <c>__concord_&lt;SourceSystem&gt;__</c>.</value>
    public string? ExternalIdPrefix { get; set; }

    /// <summary>Gets or sets the system the written records' ids come from; it names the default <see cref="ExternalIdPrefix"/>.</summary>
    /// <value>The default value is <c>canonical</c> (Concord's canonical ids).</value>
    public string SourceSystem { get; set; } = "canonical";

    /// <summary>Gets or sets the language of the calls' context (an installed Odoo language code such as <c>en_US</c>).</summary>
    /// <value>The default value is <c>en_US</c>.</value>
    public string Language { get; set; } = "en_US";

    /// <summary>Gets or sets whether a partner found by match keys (VAT and country, email, reference) is adopted instead of creating a twin.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AdoptExistingPartners { get; set; } = true;

    /// <summary>The external-id module in effect: <see cref="ExternalIdPrefix"/>, or the one derived from <see cref="SourceSystem"/>.</summary>
    /// <returns>The module name.</returns>
    internal string EffectiveExternalIdPrefix() => ExternalIdPrefix ?? DerivePrefix(SourceSystem);

    internal static string DerivePrefix(string? sourceSystem)
    {
        var source = string.IsNullOrWhiteSpace(sourceSystem) ? "canonical" : sourceSystem;
        var chars = source.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        return $"__concord_{new string(chars)}__";
    }
}
