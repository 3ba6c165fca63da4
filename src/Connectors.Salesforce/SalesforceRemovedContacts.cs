namespace Concord.Connectors.Salesforce;

/// <summary>
/// What the connector does with a Contact that an updated customer no longer lists: one that carries the Contact
/// external id (written or adopted by Concord) and still hangs under the customer's Account. Contacts without the
/// external id (made in Salesforce, never synchronised) are left as they are.
/// </summary>
public enum SalesforceRemovedContacts
{
    /// <summary>Detach it: its <c>AccountId</c> is cleared (a private contact), its data kept.</summary>
    Detach,

    /// <summary>Delete it (to the Recycle Bin).</summary>
    Delete,
}
