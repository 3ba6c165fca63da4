using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Odoo.Diagnostics;

/// <summary>The connector's log messages. Never a key, a password, a traceback or unmasked personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Odoo connector '{Connector}': server {Version}, speaking {Flavor}.")]
    public static partial void ServerDetected(ILogger logger, string connector, string version, OdooApiFlavor flavor);

    [LoggerMessage(2, LogLevel.Debug, "Odoo connector '{Connector}': authenticated on database '{Database}' as uid {Uid}.")]
    public static partial void Authenticated(ILogger logger, string connector, string database, int uid);

    [LoggerMessage(3, LogLevel.Warning, "Odoo connector '{Connector}': authentication on database '{Database}' was refused (wrong login or API key, or the key expired).")]
    public static partial void AuthenticationRefused(ILogger logger, string connector, string database);

    [LoggerMessage(4, LogLevel.Warning, "Odoo connector '{Connector}': {Call} failed for {Operation}: {Category} ({VendorCode}).")]
    public static partial void CallFailed(ILogger logger, string connector, string call, string operation, ErrorCategory category, string? vendorCode);

    [LoggerMessage(5, LogLevel.Debug, "Odoo connector '{Connector}': load of {Rows} {Model} row(s) refused {Rejected} row(s); resending the rest.")]
    public static partial void LoadRowsIsolated(ILogger logger, string connector, string model, int rows, int rejected);

    [LoggerMessage(6, LogLevel.Information, "Odoo connector '{Connector}': adopted existing partner {PartnerId} for a customer matched by {MatchedBy}.")]
    public static partial void PartnerAdopted(ILogger logger, string connector, long partnerId, string matchedBy);

    [LoggerMessage(7, LogLevel.Warning, "Odoo connector '{Connector}': the API user cannot read or create ir.model.data (needs 'Administration: Access Rights'); external ids are resolved through load and match keys only.")]
    public static partial void ExternalIdsNotReadable(ILogger logger, string connector);

    [LoggerMessage(8, LogLevel.Debug, "Odoo connector '{Connector}': upsert of {Count} customer(s): {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} failed, {Calls} call(s).")]
    public static partial void UpsertSummary(ILogger logger, string connector, int count, int created, int updated, int unchanged, int failed, int calls);

    [LoggerMessage(9, LogLevel.Debug, "Odoo connector '{Connector}': change poll from {Since} read {Rows} row(s) and emitted {Changes} change(s).")]
    public static partial void PollCompleted(ILogger logger, string connector, string since, int rows, int changes);

    [LoggerMessage(11, LogLevel.Warning, "Odoo connector '{Connector}': the language {Language} is not installed in Odoo; customers in it are written without a language (an existing partner keeps its own). Install it in Odoo (Settings → Languages) to carry it.")]
    public static partial void LanguageNotInstalled(ILogger logger, string connector, string language);

    [LoggerMessage(12, LogLevel.Debug, "Odoo connector '{Connector}': a write shared by {Count} partner(s) was refused ({Category}, {VendorCode}); sending them through load, which isolates the rows Odoo cannot take.")]
    public static partial void GroupedWriteRefused(ILogger logger, string connector, int count, ErrorCategory category, string? vendorCode);

    [LoggerMessage(10, LogLevel.Warning, "Odoo connector '{Connector}': more partners were deleted or moved between two checks than the change cursor can name (about {Capacity}); {Listed} were reported, the others were not. Check more often (OdooConnectorOptions.DeleteCheckEveryPolls) or run a reconciliation.")]
    public static partial void DeletionsNotListed(ILogger logger, string connector, int capacity, int listed);
}
