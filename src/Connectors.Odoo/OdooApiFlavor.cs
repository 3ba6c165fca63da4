namespace Concord.Connectors.Odoo;

/// <summary>Which of Odoo's external APIs the connector speaks.</summary>
public enum OdooApiFlavor
{
    /// <summary>Detect the server version once and use JSON-2 on 19.0+ (and Online saas-18.4+), JSON-RPC on 16.0–18.x.</summary>
    Auto,

    /// <summary>JSON-RPC <c>/jsonrpc</c> with <c>execute_kw</c> (16.0–21.x; removed in 22.0).</summary>
    JsonRpc,

    /// <summary>JSON-2 <c>/json/2/&lt;model&gt;/&lt;method&gt;</c> with a bearer API key (19.0+).</summary>
    Json2,
}
