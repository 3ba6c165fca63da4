using System.Net;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Diagnostics;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Diagnostics;

/// <summary>
/// Errors a user can act on: replayed against bodies in the shape Salesforce answers, the message carries the vendor's
/// own text (masked for personal data), and a 300's list of matching record URLs survives as the matched ids.
/// </summary>
public sealed class VendorMessageTests
{
    [Fact]
    public void The_message_carries_the_vendors_own_text()
    {
        var error = SalesforceErrorClassifier.FromResponse(
            HttpStatusCode.NotFound,
            """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""",
            "salesforce",
            "get",
            "Account 001000000000001AAA");

        Assert.Contains("The requested resource does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOT_FOUND", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Personal_data_in_the_vendors_text_is_masked_in_the_message()
    {
        var error = SalesforceErrorClassifier.FromResponse(
            HttpStatusCode.BadRequest,
            """[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Email grace.hopper@navy.example is blocked for +1 415 555 0100","fields":["Email"]}]""",
            "salesforce",
            "upsert",
            "Account");

        Assert.Contains("is blocked for", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("grace.hopper@navy.example", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("555 0100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_record_failure_carries_the_vendors_text_too()
    {
        var error = SalesforceErrorClassifier.FromSaveErrors(
            [new Concord.Connectors.Salesforce.Api.Dtos.SaveError { StatusCode = "REQUIRED_FIELD_MISSING", Message = "Required fields are missing: [LastName]", Fields = ["LastName"] }],
            "salesforce",
            "upsert-many",
            "Contact record 3 of 10");

        Assert.Contains("Required fields are missing: [LastName]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_300_keeps_the_ids_of_the_records_that_share_the_external_id()
    {
        var error = SalesforceErrorClassifier.FromResponse(
            HttpStatusCode.MultipleChoices,
            """["/services/data/v65.0/sobjects/Account/001Dn00000AbCdEIAV","/services/data/v65.0/sobjects/Account/001Dn00000AbCdFIAV"]""",
            "salesforce",
            "upsert",
            "Account Concord_Id__c a-1");

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Equal(["001Dn00000AbCdEIAV", "001Dn00000AbCdFIAV"], error.MatchedExternalIds.AsEnumerable());
        Assert.Contains("001Dn00000AbCdEIAV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_300_from_the_org_names_both_twins()
    {
        using var sim = new SalesforceSimulator();
        var first = sim.SeedAccount("dup-1", "Twin A");
        var second = sim.SeedAccount("dup-1", "Twin B");
        await using var sf = sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("dup-1")));

        Assert.Equal([first, second], result.Error!.MatchedExternalIds.AsEnumerable());
    }
}
