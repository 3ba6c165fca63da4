using System.Security.Cryptography;
using System.Text;
using Concord.Canonical;

namespace Concord.Connectors.Odoo.Mapping;

/// <summary>
/// The <c>ir.model.data</c> names of the partners Concord writes (the module is the configured prefix): a customer by
/// its canonical id, a contact by its canonical contact id, an address by its customer and role. Deterministic, so a
/// retry or a second process computes the same names and <c>load</c> updates instead of creating.
/// </summary>
internal static class ExternalIdNames
{
    private static readonly System.Buffers.SearchValues<char> SafeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public static string Customer(string canonicalId) => "p_" + Safe(canonicalId);

    public static string Contact(string canonicalId, Contact contact)
    {
        if (!string.IsNullOrWhiteSpace(contact.Id))
        {
            return "c_" + Safe(contact.Id);
        }

        // No canonical contact id: key it on the customer and the contact's primary email (or name), which is what
        // makes it the same person across calls.
        var key = contact.Emails.IsDefaultOrEmpty ? contact.Name.Trim().ToLowerInvariant() : contact.Emails[0].Address;
        return $"p_{Safe(canonicalId)}_c_{Hash(key)[..16]}";
    }

    public static string Address(string canonicalId, AddressRole role, int ordinal) =>
        ordinal == 0 ? $"p_{Safe(canonicalId)}_a_{Role(role)}" : $"p_{Safe(canonicalId)}_a_{Role(role)}{ordinal}";

    public static string Tag(string name) => "tag_" + Hash(name.Trim().ToLowerInvariant())[..16];

    private static string Role(AddressRole role) => role switch
    {
        AddressRole.Billing => "invoice",
        AddressRole.Shipping => "delivery",
        _ => "other",
    };

    /// <summary>Ids made of letters, digits, <c>-</c> and <c>_</c> (at most 100) are kept; anything else (a dot would split module and name) is hashed.</summary>
    private static string Safe(string id)
    {
        if (id.Length is > 0 and <= 100 && !id.AsSpan().ContainsAnyExcept(SafeChars))
        {
            return id;
        }

        return "h" + Hash(id)[..32];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
