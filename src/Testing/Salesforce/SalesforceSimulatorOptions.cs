namespace Concord.Testing.Salesforce;

/// <summary>How a <see cref="SalesforceSimulator"/> behaves: its org's credentials, allocation, fields and clock.</summary>
public sealed class SalesforceSimulatorOptions
{
    /// <summary>Gets or sets the consumer key the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-consumer</c>.</value>
    public string ConsumerKey { get; set; } = "concord-test-consumer";

    /// <summary>Gets or sets the consumer secret the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-secret</c>.</value>
    public string ConsumerSecret { get; set; } = "concord-test-secret";

    /// <summary>Gets or sets the integration user's username (the JWT <c>sub</c>).</summary>
    /// <value>The default value is <c>integration@concord.test</c>.</value>
    public string Username { get; set; } = "integration@concord.test";

    /// <summary>Gets or sets the refresh token the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-refresh-token</c>.</value>
    public string RefreshToken { get; set; } = "concord-test-refresh-token";

    /// <summary>
    /// Gets or sets the public key (PEM) JWT assertions are verified with; <see langword="null"/> makes the simulator
    /// create a key pair, whose private half <see cref="SalesforceSimulator.JwtPrivateKeyPem"/> returns.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? JwtPublicKeyPem { get; set; }

    /// <summary>Gets or sets the JWT audience the simulated org expects.</summary>
    /// <value>The default value is <c>https://login.salesforce.com</c>.</value>
    public string JwtAudience { get; set; } = "https://login.salesforce.com";

    /// <summary>Gets or sets the daily API allocation <c>Sforce-Limit-Info</c> reports and enforces.</summary>
    /// <value>The default value is 15,000 (a Developer Edition org).</value>
    public long DailyApiAllocation { get; set; } = 15_000;

    /// <summary>Gets or sets the external-id field of Account.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string AccountExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>Gets or sets the external-id field of Contact.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string ContactExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>
    /// Gets or sets the <c>instance_url</c> the token endpoint returns; <see langword="null"/> returns the simulator's own
    /// address. Set it to test that a connector refuses to send its token to a foreign host.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? InstanceUrlOverride { get; set; }

    /// <summary>Gets or sets the clock for <c>SystemModstamp</c>, latency and journal times.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the fault plan's random draws.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
