namespace Concord.Testing.Odoo;

/// <summary>How an <see cref="OdooSimulator"/> behaves: the server version it plays, its database and API user, and its clock.</summary>
public sealed class OdooSimulatorOptions
{
    /// <summary>Gets or sets the version series the simulator reports and behaves as (<c>16.0</c>, <c>17.0</c>, <c>18.0</c>, <c>19.0</c>).</summary>
    /// <value>The default value is <c>18.0</c>: JSON-RPC only, <c>error.code</c> 200, <c>mobile</c> and <c>title</c> present. From 19.0: JSON-2 and <c>/web/version</c>, <c>error.code</c> 0, no <c>mobile</c>.</value>
    public string ServerVersion { get; set; } = "18.0";

    /// <summary>Gets or sets the database name.</summary>
    /// <value>The default value is <c>concord</c>.</value>
    public string Database { get; set; } = "concord";

    /// <summary>Gets or sets the API user's login.</summary>
    /// <value>The default value is <c>concord-bot</c>.</value>
    public string Login { get; set; } = "concord-bot";

    /// <summary>Gets or sets the API user's key (40 hex characters on a real server).</summary>
    /// <value>The default value is a fixed test key.</value>
    public string ApiKey { get; set; } = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>Gets or sets the API user's uid, which <c>authenticate</c> returns.</summary>
    /// <value>The default value is 2.</value>
    public int Uid { get; set; } = 2;

    /// <summary>
    /// Gets or sets whether the API user may read and create <c>ir.model.data</c> (the <em>Administration: Access Rights</em>
    /// group). A user with only <em>Contact Creation</em> gets AccessError there, but <c>load</c> still registers external ids.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CanAccessExternalIds { get; set; } = true;

    /// <summary>
    /// Gets or sets whether <c>base_vat</c> is installed: a VAT number that is not two letters and 8 to 12 letters or
    /// digits is refused with a ValidationError ("The VAT number … does not seem to be valid"), inside <c>load</c> for
    /// that row alone, as a real server with the module does.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ValidateVat { get; set; }

    /// <summary>
    /// Gets the installed languages (the values <c>res.partner.lang</c> accepts, the active <c>res.lang</c> rows). A few
    /// more exist as inactive <c>res.lang</c> rows (Japanese, Brazilian Portuguese, Swedish), as on a real server.
    /// </summary>
    public IList<string> Languages { get; } = ["en_US", "de_DE", "fr_FR", "fr_BE", "nl_BE", "nl_NL", "es_ES", "it_IT"];

    /// <summary>Gets or sets whether a set of countries and states is created at start (see <see cref="OdooSimulator.SeedCountry"/>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SeedCountries { get; set; } = true;

    /// <summary>
    /// Gets the <c>res.partner</c> fields whose every committed change is kept, as fields declared with <c>tracking=True</c>
    /// are in a real database's chatter; read them with <see cref="OdooSimulator.TrackingValues"/>. Empty by default
    /// (nothing is kept).
    /// </summary>
    public IList<string> TrackedFields { get; } = [];

    /// <summary>
    /// Gets or sets how many requests the server takes in any <see cref="RateLimitWindow"/>; one more is answered 429 as
    /// the reverse proxy in front of a hosted Odoo would (Odoo itself has no request limiter: facts page §8).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no limit, as Odoo core.</value>
    public int? RateLimit { get; set; }

    /// <summary>Gets or sets the rolling span <see cref="RateLimit"/> applies to.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets a model of a real server's costs (<see cref="OdooServerCosts.Odoo18"/>): each call then takes its
    /// modelled time before it is answered, calls one at a time, and <see cref="OdooSimulator.ModelledServerTime"/> adds
    /// it up. Null (the default) answers at once.
    /// </summary>
    public OdooServerCosts? ServerCosts { get; set; }

    /// <summary>Gets or sets the clock that stamps <c>write_date</c> and times the journal; pass a <c>FakeTimeProvider</c> to control it.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the fault plan's random draws.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
