using System.Text.Json;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>The <c>context</c> sent with every ORM call (language, archived records, companies, chatter switches).</summary>
internal sealed record OdooContext
{
    public string? Lang { get; init; }

    public bool? ActiveTest { get; init; }

    public IReadOnlyList<int> AllowedCompanyIds { get; init; } = [];

    /// <summary>Skips chatter and tracking on bulk writes (<c>tracking_disable</c>, <c>mail_create_nolog</c>, <c>mail_notrack</c>).</summary>
    public bool QuietWrites { get; init; }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Lang is not null)
        {
            writer.WriteString("lang", Lang);
        }

        if (ActiveTest is bool activeTest)
        {
            writer.WriteBoolean("active_test", activeTest);
        }

        if (AllowedCompanyIds.Count > 0)
        {
            writer.WriteStartArray("allowed_company_ids");
            foreach (var id in AllowedCompanyIds)
            {
                writer.WriteNumberValue(id);
            }

            writer.WriteEndArray();
        }

        if (QuietWrites)
        {
            writer.WriteBoolean("tracking_disable", true);
            writer.WriteBoolean("mail_create_nolog", true);
            writer.WriteBoolean("mail_notrack", true);
        }

        writer.WriteEndObject();
    }
}
