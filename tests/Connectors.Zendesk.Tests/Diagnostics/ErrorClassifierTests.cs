using System.Net;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Diagnostics;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Diagnostics;

/// <summary>Every row of the facts page's error table, as Zendesk answers it, mapped to the taxonomy.</summary>
public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(400, """{"error":{"title":"Invalid attribute","message":"bad"}}""", ErrorCategory.Validation, "Invalid attribute")]
    [InlineData(400, "Bad request: offset past page 100", ErrorCategory.Validation, null)]
    [InlineData(401, """{"error":"Couldn't authenticate you"}""", ErrorCategory.Authentication, "Couldn't authenticate you")]
    [InlineData(403, """{"error":"Forbidden","description":"You are missing the following required scopes: read"}""", ErrorCategory.Authorization, "Forbidden")]
    [InlineData(403, """{"error":{"title":"Forbidden","message":"You do not have access to this page."}}""", ErrorCategory.Authorization, "Forbidden")]
    [InlineData(404, """{"error":"RecordNotFound","description":"Not found"}""", ErrorCategory.NotFound, "RecordNotFound")]
    [InlineData(404, """{"error":"InvalidEndpoint","description":"Not found"}""", ErrorCategory.NotFound, "InvalidEndpoint")]
    [InlineData(409, """{"error":"DatabaseConflict","description":"Database collision"}""", ErrorCategory.Transient, "DatabaseConflict")]
    [InlineData(422, """{"error":"RecordInvalid","description":"Record validation errors","details":{"name":[{"description":"Name: Acme has already been taken","error":"DuplicateValue"}]}}""", ErrorCategory.Conflict, "RecordInvalid")]
    [InlineData(422, """{"error":"RecordInvalid","description":"Record validation errors","details":{"notes":[{"description":"Notes: is invalid","error":"InvalidValue"}]}}""", ErrorCategory.Validation, "RecordInvalid")]
    [InlineData(429, """{"errors":[{"code":"TooManyRequests","title":"Too Many Requests"}]}""", ErrorCategory.RateLimited, "TooManyRequests")]
    [InlineData(429, """{"error":"TooManyJobs","description":"…","current_job_ids":["a"]}""", ErrorCategory.RateLimited, "TooManyJobs")]
    [InlineData(500, "", ErrorCategory.Transient, null)]
    [InlineData(502, "<html>Bad gateway</html>", ErrorCategory.Transient, null)]
    [InlineData(503, """{"error":"ServiceUnavailable"}""", ErrorCategory.Transient, "ServiceUnavailable")]
    [InlineData(504, "", ErrorCategory.Transient, null)]
    public void Each_answer_of_the_error_table_maps_to_its_category(int status, string body, ErrorCategory expected, string? code)
    {
        var error = ZendeskErrorClassifier.FromResponse((HttpStatusCode)status, body, null, "zendesk", "upsert", "organization x");

        Assert.Equal(expected, error.Category);
        Assert.Equal(code, error.VendorErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(expected is ErrorCategory.Transient or ErrorCategory.RateLimited, error.IsRetryable);
    }

    [Fact]
    public void A_422_lists_its_details_as_field_errors_custom_fields_by_key()
    {
        var error = ZendeskErrorClassifier.FromResponse(
            HttpStatusCode.UnprocessableEntity,
            """{"error":"RecordInvalid","details":{"name":[{"description":"Name: cannot be blank","error":"BlankValue"}],"base":[{"description":"Tier: x is invalid","error":"InvalidValue","field_key":"tier"}]}}""",
            null,
            "zendesk",
            "upsert",
            "x");

        Assert.Equal([("name", "BlankValue"), ("organization_fields.tier", "InvalidValue")], error.FieldErrors.Select(f => (f.Field, f.Code)));
    }

    [Fact]
    public void A_missing_scope_says_which_and_what_to_do()
    {
        var error = ZendeskErrorClassifier.FromResponse(HttpStatusCode.Forbidden, """{"error":"Forbidden","description":"You are missing the following required scopes: write"}""", null, "zendesk", "upsert", "x");

        Assert.Contains("scope", error.Message, StringComparison.Ordinal);
        Assert.Contains("write", error.VendorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DuplicateValue", "Name: Acme has already been taken", ErrorCategory.Conflict, "name")]
    [InlineData("RecordNotFound", "Not found", ErrorCategory.NotFound, null)]
    [InlineData("PermissionDenied", "Shared users cannot be updated", ErrorCategory.Authorization, null)]
    [InlineData("InvalidValue", "Domain names: x is not a valid domain name", ErrorCategory.Validation, "domain_names")]
    [InlineData("UserUpdateError", "External ID: u-1 has already been taken", ErrorCategory.Conflict, "external_id")]
    public void A_failed_job_item_maps_by_its_error_code(string code, string details, ErrorCategory expected, string? field)
    {
        var error = ZendeskErrorClassifier.FromJobItem(code, details, "zendesk", "upsert-many", "organization x");

        Assert.Equal(expected, error.Category);
        Assert.Equal(field, error.FieldErrors.FirstOrDefault()?.Field);
    }

    [Fact]
    public async Task A_409_DatabaseConflict_is_resent_up_to_three_times_then_fails_as_transient()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        sim.ConflictNextWrites(2, r => r.Path.EndsWith("create_or_update.json", StringComparison.Ordinal));

        var passed = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("c-1")));
        sim.ConflictNextWrites(4, r => r.Path.EndsWith("create_or_update.json", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("c-2"))));

        Assert.True(passed.IsSuccess);
        Assert.Equal(3, sim.Journal.Calls("POST", "/api/v2/organizations/create_or_update.json").Count(e => e.Body!.Contains("\"c-1\"", StringComparison.Ordinal)));
        Assert.Equal((ErrorCategory.Transient, 409, "DatabaseConflict"), (error.Category, error.StatusCode, error.VendorErrorCode));
        Assert.Equal(4, sim.Journal.Calls("POST", "/api/v2/organizations/create_or_update.json").Count(e => e.Body!.Contains("\"c-2\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_record_Zendesk_refuses_fails_alone_with_its_details_and_a_missing_scope_stops_the_call()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = true });
        await using var zendesk = sim.CreateConnector();
        sim.RejectRecord("bad-1", "notes", "InvalidValue", "Notes: is too long");

        var results = await zendesk.Connector.UpsertManyAsync([Customers.Request(Customers.Company("ok-1")), Customers.Request(Customers.Company("bad-1"))]);

        Assert.True(results[0].IsSuccess);
        Assert.Equal(ErrorCategory.Validation, results[1].Error!.Category);
        Assert.Equal("notes", results[1].Error!.FieldErrors.Single().Field);

        sim.FailNextApiCalls(1, 403, """{"error":"Forbidden","description":"You are missing the following required scopes: organizations:write"}""", r => r.Method == "POST");
        var single = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("scope-1")));
        Assert.Equal(ErrorCategory.Authorization, single.Error!.Category);
    }

    [Fact]
    public async Task A_404_reads_as_missing_and_a_text_plain_400_as_validation()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        sim.FailNextApiCalls(1, 400, "Invalid search query", r => r.Path.EndsWith("search.json", StringComparison.Ordinal));

        var missing = await zendesk.Connector.GetAsync("424242");
        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.FindAsync(new MatchKeys { Domain = "x.example" }));

        Assert.Null(missing);
        Assert.Equal((ErrorCategory.Validation, 400), (error.Category, error.StatusCode));
        Assert.Equal("Invalid search query", error.VendorMessage);
    }
}
