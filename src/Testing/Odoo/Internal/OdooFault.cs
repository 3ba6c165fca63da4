namespace Concord.Testing.Odoo.Internal;

/// <summary>An Odoo exception as the server serializes it: its fully qualified class name and message.</summary>
internal class OdooFault : Exception
{
    public OdooFault(string name, string message, int json2Status)
        : base(message)
    {
        Name = name;
        Json2Status = json2Status;
    }

    public OdooFault()
        : this("builtins.Exception", "Odoo Server Error", 500)
    {
    }

    public OdooFault(string message)
        : this("builtins.Exception", message, 500)
    {
    }

    public OdooFault(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "builtins.Exception";
        Json2Status = 500;
    }

    /// <summary>The exception class (<c>odoo.exceptions.ValidationError</c>).</summary>
    public string Name { get; } = "builtins.Exception";

    /// <summary>The status JSON-2 answers with (422 for user errors, 404 missing, 403 access, 500 anything else).</summary>
    public int Json2Status { get; } = 500;

    public static OdooFault Validation(string message) => new("odoo.exceptions.ValidationError", message, 422);

    public static OdooFault User(string message) => new("odoo.exceptions.UserError", message, 422);

    public static OdooFault Value(string message) => new("builtins.ValueError", message, 500);

    public static OdooFault Missing() => new("odoo.exceptions.MissingError", "Record does not exist or has been deleted.", 404);

    public static OdooFault Access(string message) => new("odoo.exceptions.AccessError", message, 403);

    public static OdooFault Denied() => new("odoo.exceptions.AccessDenied", "Access Denied", 403);

    public static OdooFault NoMethod(string model, string method) => new("builtins.AttributeError", $"The method '{model}.{method}' does not exist", 404);

    public static OdooFault BadType(string message) => new("builtins.TypeError", message, 422);

    public static OdooFault IntegerSyntax(string value) => new("psycopg2.errors.InvalidTextRepresentation", $"invalid input syntax for type integer: \"{value}\"", 500);
}
