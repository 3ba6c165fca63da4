namespace Concord.Samples.CustomerSync;

/// <summary>The sample's own settings (section <c>CustomerSync</c>); the connectors read <c>Concord:Salesforce</c>, <c>Concord:Odoo</c> and, optionally, <c>Concord:Zendesk</c>.</summary>
internal sealed class SampleSettings
{
    public const string SectionName = "CustomerSync";

    /// <summary>The SQLite state file. Empty: <c>concord-customersync.db</c> in the temp folder for the demo (a new file per start, since the simulators start empty), <c>concord.db</c> in the current folder against real systems.</summary>
    public string? StatePath { get; set; }

    /// <summary>The flow's name.</summary>
    public string FlowName { get; set; } = "accounts-to-erp";

    /// <summary>The second flow's name: Salesforce accounts to Zendesk organizations (when Zendesk is configured, or in the demo).</summary>
    public string SupportFlowName { get; set; } = "accounts-to-support";

    /// <summary>Demo only: how many Salesforce accounts to seed.</summary>
    public int Accounts { get; set; } = 500;

    /// <summary>Demo only: how many accounts to edit between the two runs.</summary>
    public int Edits { get; set; } = 50;

    /// <summary><c>--webhooks</c> only: how many HubSpot companies to seed.</summary>
    public int WebhookCompanies { get; set; } = 20;

    /// <summary><c>--webhooks</c> only: how many of them to rename, each delivered as a signed webhook.</summary>
    public int WebhookEdits { get; set; } = 5;
}
