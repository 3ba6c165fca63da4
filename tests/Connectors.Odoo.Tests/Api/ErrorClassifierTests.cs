using System.Net;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Diagnostics;

namespace Concord.Connectors.Odoo.Tests.Api;

public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData("odoo.exceptions.AccessDenied", ErrorCategory.Authentication)]
    [InlineData("odoo.exceptions.AccessError", ErrorCategory.Authorization)]
    [InlineData("odoo.exceptions.ValidationError", ErrorCategory.Validation)]
    [InlineData("odoo.exceptions.UserError", ErrorCategory.Validation)]
    [InlineData("builtins.ValueError", ErrorCategory.Validation)]
    [InlineData("psycopg2.errors.InvalidTextRepresentation", ErrorCategory.Validation)]
    [InlineData("odoo.exceptions.MissingError", ErrorCategory.NotFound)]
    [InlineData("odoo.exceptions.LockError", ErrorCategory.Conflict)]
    [InlineData("psycopg2.errors.SerializationFailure", ErrorCategory.Transient)]
    [InlineData("odoo.exceptions.ConcurrencyError", ErrorCategory.Transient)]
    [InlineData("builtins.AttributeError", ErrorCategory.ContractViolation)]
    [InlineData("psycopg2.OperationalError", ErrorCategory.Transient)]
    [InlineData("werkzeug.exceptions.NotFound", ErrorCategory.Configuration)]
    public void Rpc_errors_are_classified_by_data_name(string name, ErrorCategory expected)
    {
        var error = OdooErrorClassifier.FromRpcError("odoo", "upsert", new JsonRpcError { Code = 200, Message = "Odoo Server Error", Data = new OdooErrorData { Name = name, Message = "boom" } });

        Assert.Equal(expected, error.Category);
        Assert.Equal(name, error.VendorErrorCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public void Error_code_does_not_change_the_category(int code)
    {
        var error = OdooErrorClassifier.FromRpcError("odoo", "upsert", new JsonRpcError { Code = code, Data = new OdooErrorData { Name = "odoo.exceptions.MissingError" } });

        Assert.Equal(ErrorCategory.NotFound, error.Category);
    }

    [Fact]
    public void A_missing_database_is_a_configuration_error_naming_it()
    {
        var error = OdooErrorClassifier.FromRpcError("odoo", "authenticate", new JsonRpcError
        {
            Code = 200,
            Data = new OdooErrorData { Name = "psycopg2.OperationalError", Message = "connection to server at \"localhost\" (127.0.0.1), port 5432 failed: FATAL:  database \"crm_prod\" does not exist" },
        });

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("'crm_prod'", error.Message, StringComparison.Ordinal);
        Assert.Contains("OdooConnectorOptions.Database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_name_is_a_contract_violation_carrying_the_raw_name()
    {
        var error = OdooErrorClassifier.FromRpcError("odoo", "upsert", new JsonRpcError { Data = new OdooErrorData { Name = "odoo.addons.custom.WeirdError", Message = "x" } });

        Assert.Equal(ErrorCategory.ContractViolation, error.Category);
        Assert.Equal("odoo.addons.custom.WeirdError", error.VendorErrorCode);
        Assert.Contains("odoo.addons.custom.WeirdError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unique_violation_is_a_conflict_and_personal_data_is_masked()
    {
        var error = OdooErrorClassifier.FromRpcError("odoo", "upsert", new JsonRpcError { Data = new OdooErrorData { Name = "odoo.exceptions.ValidationError", Message = "duplicate key value violates unique constraint for ada@example.com" } });

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.DoesNotContain("ada@example.com", error.VendorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "\"Invalid apikey\"", ErrorCategory.Authentication)]
    [InlineData(HttpStatusCode.Forbidden, "{\"name\":\"odoo.exceptions.AccessError\",\"message\":\"no\"}", ErrorCategory.Authorization)]
    [InlineData(HttpStatusCode.NotFound, "{\"name\":\"werkzeug.exceptions.NotFound\"}", ErrorCategory.Configuration)]
    [InlineData(HttpStatusCode.NotFound, "<html><body>404: Not Found</body></html>", ErrorCategory.Configuration)]
    [InlineData(HttpStatusCode.NotFound, "{\"name\":\"odoo.exceptions.MissingError\",\"message\":\"Record does not exist or has been deleted.\"}", ErrorCategory.NotFound)]
    [InlineData(HttpStatusCode.Conflict, "{\"name\":\"odoo.exceptions.LockError\"}", ErrorCategory.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "{\"name\":\"odoo.exceptions.ValidationError\"}", ErrorCategory.Validation)]
    [InlineData(HttpStatusCode.InternalServerError, "{\"name\":\"odoo.addons.x.Unknown\"}", ErrorCategory.Transient)]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", ErrorCategory.Transient)]
    public void Json2_errors_are_classified_by_status_and_body(HttpStatusCode status, string body, ErrorCategory expected)
    {
        var error = OdooErrorClassifier.FromJson2("odoo", "upsert", status, body);

        Assert.Equal(expected, error.Category);
        Assert.Equal((int)status, error.StatusCode);
    }
}
