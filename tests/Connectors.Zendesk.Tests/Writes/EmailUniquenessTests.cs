using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Writes;

/// <summary>
/// An email belongs to one user: Zendesk refuses a second user with an email identity another holds (422
/// <c>RecordInvalid</c>, <c>details.email[0].error</c> <c>DuplicateValue</c>), and create-or-update finds a user by its email.
/// </summary>
public sealed class EmailUniquenessTests
{
    [Fact]
    public async Task The_simulator_refuses_a_second_user_with_an_email_another_user_holds()
    {
        await using var sim = new ZendeskSimulator();
        sim.SeedUser("Ada", "ada@acme.example", "u-1");

        var refused = Assert.Throws<ArgumentException>(() => sim.SeedUser("Ada twin", "ADA@acme.example", "u-2"));

        Assert.Contains("DuplicateValue", refused.Message, StringComparison.Ordinal);
        Assert.Single(sim.Users);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_email_another_users_external_id_holds_fails_the_customer_as_a_conflict_naming_that_user(bool bulkImport)
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = bulkImport });
        var holder = sim.SeedUser("Someone", "ada1@clash-2.example", "someone-else");
        await using var zendesk = sim.CreateConnector();

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("clash-2", contacts: 1)));

        Assert.Equal(ErrorCategory.Conflict, result.Error?.Category);
        Assert.Contains($"Zendesk user {holder.ToString(CultureInfo.InvariantCulture)}", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(result.Error.FieldErrors, f => f.Field.Contains("email", StringComparison.Ordinal));
        Assert.Single(sim.Users);
        Assert.Equal("someone-else", sim.User(holder)!.ExternalId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_end_user_holding_the_email_without_an_external_id_is_adopted_not_duplicated(bool bulkImport)
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = bulkImport });
        var holder = sim.SeedUser("Ada (typed in by an agent)", "ada1@mail-adopt.example");
        await using var zendesk = sim.CreateConnector();

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("mail-adopt", contacts: 1)));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var user = Assert.Single(sim.Users);
        Assert.Equal((holder, "mail-adopt-c1", "Ada Lovelace1"), (user.Id, user.ExternalId, user.Name));
        Assert.Equal(holder.ToString(CultureInfo.InvariantCulture), result.ContactExternalIds["mail-adopt-c1"]);
    }
}
