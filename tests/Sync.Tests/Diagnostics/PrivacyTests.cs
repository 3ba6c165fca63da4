using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Reconciliation;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace Concord.Sync.Tests.Diagnostics;

[Collection(Concord.Sync.Tests.Diagnostics.ActivityListenerCollection.Name)]
public sealed class PrivacyTests
{
    private static readonly System.Text.RegularExpressions.Regex RandomIds = new(@"\b(?:[0-9a-f]{32}|[0-9a-f]{16})\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly string[] Secrets =
    [
        "ada.lovelace@example.com", "Ada Lovelace", "Lovelace", "+44 20 7946 0958", "+442079460958", "7946",
        "GB123456789", "123456789", "sk_live_4f9c2b7e1d", "hunter2", "Analytical Engines Ltd",
    ];

    private static CanonicalCustomer Seeded(int n, string? country = "GB") => new()
    {
        Kind = CustomerKind.Company,
        Name = n == 0 ? "Analytical Engines Ltd" : $"Analytical Engines Ltd {n}",
        Notes = "password=hunter2",
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "GB123456789" + n, Country = "GB" }],
        Emails = [new EmailAddress { Address = $"ada.lovelace{(n == 0 ? string.Empty : n)}@example.com" }],
        Phones = [new PhoneNumber { Raw = "+44 20 7946 0958" }],
        Addresses = [new PostalAddress { Role = AddressRole.Main, City = "London", Country = country }],
        CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("apiKey", "sk_live_4f9c2b7e1d")]),
        Contacts = [new Contact { Name = "Ada Lovelace", Emails = [new EmailAddress { Address = "ada.lovelace@example.com" }] }],
    };

    [Fact]
    public async Task A_whole_flow_with_personal_data_and_secrets_leaks_none_into_logs_or_span_tags()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c.AddFlow("privacy", f => f.From("crm").To("erp").Configure(o => o.MaxDeliveryAttempts = 2)),
            s => s.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)),
            crm,
            erp);
        var spans = new List<Activity>();
        using var testSource = new ActivitySource("privacy-test");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Concord" or "privacy-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        crm.Emit(Seeded(0), harness.Time.GetUtcNow(), id: "ok");
        crm.Emit(Seeded(1, country: "XX"), harness.Time.GetUtcNow(), id: "invalid");
        crm.Emit(Seeded(2), harness.Time.GetUtcNow(), id: "refused");
        crm.Emit(Seeded(3), harness.Time.GetUtcNow(), id: "flaky");
        erp.FailWrites(c => c.Name.EndsWith(" 2", StringComparison.Ordinal), ErrorCategory.Validation, times: 1,
            message: "Partner Analytical Engines Ltd 2 (ada.lovelace2@example.com, +44 20 7946 0958, VAT GB1234567892) is invalid");
        erp.FailWrites(c => c.Name.EndsWith(" 3", StringComparison.Ordinal), ErrorCategory.Transient, times: 5,
            message: "Timeout writing ada.lovelace3@example.com");

        string traceId;
        using (var root = testSource.StartActivity("privacy-test-root"))
        {
            traceId = root!.TraceId.ToString();
            var flow = harness.Flow("privacy");
            await flow.RunOnceAsync();
            await flow.RunOnceAsync();
            await flow.ReplayAllAsync();
            await flow.ReconcileAsync(new ReconciliationOptions { Repair = true });
            await harness.Dispatcher.DispatchAsync();
        }

        var logs = harness.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var logText = logs.Select(r => string.Join(" | ", [r.Message, .. (r.StructuredState ?? []).Select(kv => kv.Value ?? string.Empty), r.Exception?.ToString() ?? string.Empty])).ToList();
        List<string> spanText;
        lock (spans)
        {
            spanText = spans.Where(a => a.TraceId.ToString() == traceId)
                .Select(a => string.Join(" | ", [a.DisplayName, a.StatusDescription ?? string.Empty, .. a.TagObjects.Select(t => t.Key + "=" + t.Value)]))
                .ToList();
        }

        // The run did meet the data: dead letters, deferrals, engine spans and masked reasons are there.
        Assert.Contains(logText, l => l.Contains("dead-lettered", StringComparison.Ordinal));
        Assert.Contains(logText, l => l.Contains("Partner *** (***, ***, VAT ***) is invalid", StringComparison.Ordinal));
        Assert.Contains(spanText, s => s.StartsWith("concord.connector.upsert-many", StringComparison.Ordinal));
        Assert.Contains(spanText, s => s.StartsWith("concord.flow.run", StringComparison.Ordinal));
        Assert.True(logText.Count > 10);
        // Correlation, trace and span ids are random hex: blank them first, or a fragment such as "7946" matches by chance.
        var scanned = logText.Concat(spanText).Select(l => RandomIds.Replace(l, "<id>")).ToList();
        foreach (var secret in Secrets)
        {
            var leaks = scanned.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' leaked into: {string.Join(Environment.NewLine, leaks)}");
        }
    }
}
