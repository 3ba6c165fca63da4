namespace Concord.Testing.Salesforce;

/// <summary>
/// The duplicate rules a <see cref="SalesforceSimulator"/> runs on Account and Contact creates (its stand-in for the
/// standard rules, active by default in real orgs): an Account whose name equals a live Account's, a Contact whose email
/// equals a live Contact's, is a duplicate.
/// </summary>
public enum SalesforceSimDuplicateRules
{
    /// <summary>No duplicate rule runs.</summary>
    Off,

    /// <summary>Alert-level rules (the standard rules' action): an API create is refused with <c>DUPLICATES_DETECTED</c> unless <c>Sforce-Duplicate-Rule-Header: allowSave=true</c>.</summary>
    Alert,

    /// <summary>Blocking rules: a duplicate create is refused whatever the header says.</summary>
    Block,
}
