using System.Text.Json;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;

namespace Concord.Connectors.Salesforce.Tests.Api;

public sealed class DateTimeConverterTests
{
    [Theory]
    [InlineData("2013-05-20T20:49:32.000+0000", "2013-05-20T20:49:32.0000000+00:00")]
    [InlineData("2013-05-20T20:49:32.000-0530", "2013-05-21T02:19:32.0000000+00:00")]
    [InlineData("2013-05-20T20:49:32.000+0200", "2013-05-20T18:49:32.0000000+00:00")]
    [InlineData("2013-05-20T20:49:32Z", "2013-05-20T20:49:32.0000000+00:00")]
    [InlineData("2013-05-20T20:49:32.000+02:00", "2013-05-20T18:49:32.0000000+00:00")]
    public void Salesforce_and_ISO_datetimes_are_read(string wire, string expectedUtc)
    {
        var record = JsonSerializer.Deserialize($"{{\"SystemModstamp\":\"{wire}\"}}", SalesforceJsonContext.Default.AccountRecord)!;

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), record.SystemModstamp);
    }

    [Fact]
    public void The_default_converter_rejects_the_offset_without_a_colon_which_is_why_ours_exists()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("\"2013-05-20T20:49:32.000+0000\"", JsonContextWithoutConverter.Default.DateTimeOffset));
    }

    [Fact]
    public void Garbage_is_a_json_error_not_a_silent_default()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"SystemModstamp\":\"yesterday\"}", SalesforceJsonContext.Default.AccountRecord));
    }

    [Fact]
    public void Null_stays_null()
    {
        var record = JsonSerializer.Deserialize("{\"SystemModstamp\":null}", SalesforceJsonContext.Default.AccountRecord)!;

        Assert.Null(record.SystemModstamp);
    }

    [Fact]
    public void Datetimes_are_written_in_UTC_with_Z()
    {
        var json = JsonSerializer.Serialize(new AccountRecord { SystemModstamp = new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)) }, SalesforceJsonContext.Default.AccountRecord);

        Assert.Contains("\"SystemModstamp\":\"2026-01-02T03:04:05.000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_members_are_tolerated_and_kept_as_extension_data()
    {
        var record = JsonSerializer.Deserialize("{\"Id\":\"001\",\"api_instance_url\":\"x\",\"Concord_Id__c\":\"a-1\"}", SalesforceJsonContext.Default.AccountRecord)!;

        Assert.Equal("001", record.Id);
        Assert.Equal("a-1", Concord.Connectors.Salesforce.Mapping.AccountMapper.ReadString(record.Extra, "Concord_Id__c"));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class JsonContextWithoutConverter : System.Text.Json.Serialization.JsonSerializerContext;
