using System.Globalization;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>The connector's external ids are <c>res.partner</c> database ids written in decimal.</summary>
internal static class PartnerIds
{
    /// <summary>Whether <paramref name="externalId"/> can name a partner (a positive integer); anything else names none.</summary>
    public static bool TryParse(string? externalId, out long id) =>
        long.TryParse(externalId, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
