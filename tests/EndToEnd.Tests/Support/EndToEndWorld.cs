using System.Collections.Concurrent;
using System.Globalization;
using CloudNative.CloudEvents;
using Concord.Canonical.Errors;
using Concord.EndToEnd.Worker;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Testing.Odoo;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.EndToEnd.Tests.Support;

/// <summary>
/// Both simulators on 127.0.0.1 (their state lives in the test process), 1,000 seeded Salesforce accounts with one
/// contact each (10 of them schema-invalid), a SQLite state file, and the configuration a host or a child process
/// needs to run <see cref="EndToEndFlow"/> against them.
/// </summary>
internal sealed class EndToEndWorld : IAsyncDisposable
{
    public const int Records = 1_000;
    public const int InvalidRecords = 10;

    private readonly string _folder = Directory.CreateTempSubdirectory("concord-e2e-").FullName;
    private readonly Dictionary<string, string> _websiteByAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contactEmailByAccount = new(StringComparer.Ordinal);

    public EndToEndWorld(string flowName)
        : this(flowName, Records, null)
    {
    }

    /// <summary>
    /// A world of <paramref name="records"/> accounts (1 % invalid) whose state is in PostgreSQL schema <paramref name="postgreSqlSchema"/> when it is set
    /// (on the server <c>CONCORD_POSTGRES</c> names), else in a SQLite file; with <paramref name="rateLimit"/>, both simulators enforce it and the
    /// connectors are sized to it.
    /// </summary>
    public EndToEndWorld(string flowName, int records, string? postgreSqlSchema, VendorRateLimit? rateLimit = null)
    {
        FlowName = flowName;
        PostgreSqlSchema = postgreSqlSchema;
        RateLimit = rateLimit;
        Salesforce = new SalesforceSimulator(rateLimit is null
            ? new SalesforceSimulatorOptions { DailyApiAllocation = 10_000_000 }
            : new SalesforceSimulatorOptions { DailyApiAllocation = rateLimit.Count, ApiUsageWindow = rateLimit.Window, DailyApiOverage = 0 });
        Odoo = new OdooSimulator(rateLimit is null ? null : new OdooSimulatorOptions { RateLimit = rateLimit.Count, RateLimitWindow = rateLimit.Window });
        for (var i = 0; i < records; i++)
        {
            var invalid = i % (Records / InvalidRecords) == 37;
            var website = string.Create(CultureInfo.InvariantCulture, $"https://www.e2e-company-{i:D4}.example");
            var id = Salesforce.SeedAccount(null, string.Create(CultureInfo.InvariantCulture, $"E2E Company {i:D4} GmbH"), new Dictionary<string, object?>
            {
                ["Website"] = website,
                ["Phone"] = string.Create(CultureInfo.InvariantCulture, $"+49 30 {1_000_000 + i}"),
                ["BillingStreet"] = string.Create(CultureInfo.InvariantCulture, $"{i % 200 + 1} Invalidenstrasse"),
                ["BillingCity"] = "Berlin",
                ["BillingPostalCode"] = "10115",
                ["BillingCountry"] = invalid ? "Narnia" : "DE",
            });
            var email = string.Create(CultureInfo.InvariantCulture, $"buyer@e2e-company-{i:D4}.example");
            Salesforce.SeedContact(id, null, "Buyer", new Dictionary<string, object?> { ["FirstName"] = "Bea", ["Email"] = email });
            (invalid ? InvalidAccountIds : ValidAccountIds).Add(id);
            _websiteByAccount[id] = website;
            _contactEmailByAccount[id] = email;
        }
    }

    public string FlowName { get; }

    /// <summary>The PostgreSQL schema of the state, or null for the SQLite file.</summary>
    public string? PostgreSqlSchema { get; }

    /// <summary>The test server's connection string (<c>CONCORD_POSTGRES</c>), when the state is in PostgreSQL.</summary>
    public static string PostgreSqlConnectionString =>
        Environment.GetEnvironmentVariable("CONCORD_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("CONCORD_POSTGRES is not set: start PostgreSQL with `eval \"$(sudo bash .ci/postgres.sh)\"`.");

    public SalesforceSimulator Salesforce { get; }

    /// <summary>The request-rate limit both simulators enforce, or null for none.</summary>
    public VendorRateLimit? RateLimit { get; }

    /// <summary>The broker the events go to (<see cref="UseRabbitMqAsync"/>), or null: then each worker writes them to a file.</summary>
    public BrokerEvents? Broker { get; private set; }

    public OdooSimulator Odoo { get; }

    public List<string> ValidAccountIds { get; } = [];

    public List<string> InvalidAccountIds { get; } = [];

    /// <summary>The website seeded for each account.</summary>
    public IReadOnlyDictionary<string, string> WebsiteOf => _websiteByAccount;

    public string StatePath => Path.Combine(_folder, "state", "concord.db");

    /// <summary>The folder where each worker process appends the events it published to a file of its own (concurrent appends to one file from several processes overwrite each other's lines: .NET's append mode seeks to the end instead of opening with O_APPEND).</summary>
    public string EventsPath => Path.Combine(_folder, "events");

    /// <summary>The events published in this process (by <see cref="BuildHost"/> hosts), with the monotonic time each was published at.</summary>
    private readonly ConcurrentQueue<(long At, string Id, string Type, string Subject)> _publishedHere = [];

    /// <summary>Sends every event (of the workers and of <see cref="BuildHost"/> hosts) to an exchange of this world's own on the broker <c>CONCORD_RABBITMQ</c> names, through Concord.Messaging.RabbitMq; call before <see cref="Settings"/>.</summary>
    public async Task UseRabbitMqAsync() => Broker = await BrokerEvents.StartAsync();

    /// <summary>20 % transient faults on every simulator request: half 503s, half responses lost after the request was applied.</summary>
    public void EnableFaults()
    {
        Salesforce.Faults.FailShare(0.10, 503).LoseShare(0.10);
        Odoo.Faults.FailShare(0.10, 503).LoseShare(0.10);
    }

    public void DisableFaults()
    {
        Salesforce.Faults.Clear();
        Odoo.Faults.Clear();
    }

    /// <summary>The configuration of <see cref="EndToEndFlow"/> for these simulators, as <c>Section:Key</c> pairs.</summary>
    public IReadOnlyDictionary<string, string> Settings()
    {
        var sf = Salesforce.Options;
        var odoo = Odoo.Options;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EndToEndFlow.StatePathKey] = StatePath,
            [EndToEndFlow.FlowNameKey] = FlowName,
            ["EndToEnd:EventsPath"] = EventsPath,
            [EndToEndFlow.PostgreSqlKey] = PostgreSqlSchema is null ? string.Empty : PostgreSqlConnectionString,
            [EndToEndFlow.PostgreSqlSchemaKey] = PostgreSqlSchema ?? string.Empty,
            ["Concord:Salesforce:BaseAddress"] = Salesforce.MyDomainUrl.ToString(),
            ["Concord:Salesforce:AllowInsecureHttp"] = "true",
            ["Concord:Salesforce:AuthMode"] = "ClientCredentials",
            ["Concord:Salesforce:ClientId"] = sf.ConsumerKey,
            ["Concord:Salesforce:ClientSecret"] = sf.ConsumerSecret,
            ["Concord:Salesforce:AccountExternalIdField"] = sf.AccountExternalIdField,
            ["Concord:Salesforce:ContactExternalIdField"] = sf.ContactExternalIdField,
            ["Concord:Salesforce:QueryPageSize"] = "200",
            ["Concord:Odoo:BaseAddress"] = Odoo.BaseAddress.ToString(),
            ["Concord:Odoo:AllowInsecureHttp"] = "true",
            ["Concord:Odoo:Database"] = odoo.Database,
            ["Concord:Odoo:Login"] = odoo.Login,
            ["Concord:Odoo:ApiKey"] = odoo.ApiKey,
        };
        if (RateLimit is not null)
        {
            // The simulator reports the window's limit as the org's "daily" allocation (Sforce-Limit-Info): the shared budget
            // alone keeps usage under it, so the connector's own guard (80 % by default, then a 5-minute pause) is let go to 100 %.
            settings["Concord:Salesforce:DailyBudgetShare"] = "1";
            settings["Concord:Salesforce:BudgetRecheckInterval"] = "00:00:03";
        }

        if (Broker is not null)
        {
            settings[EndToEndFlow.RabbitMqKey] = Broker.Uri;
            settings[EndToEndFlow.RabbitMqExchangeKey] = Broker.Exchange;
        }

        foreach (var connector in new[] { "Salesforce", "Odoo" })
        {
            var resilience = $"Concord:{connector}:Resilience:";
            settings[resilience + "BaseDelay"] = "00:00:00.010";
            settings[resilience + "MaxDelay"] = "00:00:00.500";
            settings[resilience + "UseJitter"] = "false";
            settings[resilience + "MaxRetryAttempts"] = "5";
            settings[resilience + "PermitLimit"] = "100000";
            settings[resilience + "QueueLimit"] = "100000";
            settings[resilience + "MinimumThroughput"] = "100000";
            if (RateLimit is { } limit)
            {
                // The vendor's whole limit, drawn from one budget in the shared state by every instance (or, Shared off, by each on its own).
                settings[resilience + "PermitLimit"] = limit.Count.ToString(CultureInfo.InvariantCulture);
                settings[resilience + "Window"] = limit.Window.ToString("c", CultureInfo.InvariantCulture);
                settings[resilience + "SharedRateBudget"] = limit.Shared ? "true" : "false";
                settings[resilience + "RateBudgetBatchSize"] = limit.BatchSize.ToString(CultureInfo.InvariantCulture);
            }
        }

        return settings;
    }

    /// <summary>A container running the flow in this process on the same state file; events go to this process's record of them.</summary>
    /// <param name="customize">Changes to the flow's declaration, or null.</param>
    /// <param name="more">More registrations (another flow), or null.</param>
    public ServiceProvider BuildHost(Action<Concord.Sync.Flows.FlowBuilder>? customize = null, Action<Concord.Canonical.DependencyInjection.IConcordBuilder>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        services.AddSingleton<IOutboxPublisher>(new RecordingPublisher(_publishedHere));
        EndToEndFlow.Add(services, configuration, customize);
        more?.Invoke(services.AddConcord());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// Checks the outcome of a completed run: every valid account is one Odoo company (with its one contact) and nothing
    /// else is; the dead letters are exactly the invalid accounts; the outbox is empty and delivered a
    /// <c>customer.created</c> event for every customer at least once.
    /// </summary>
    public async Task AssertCompleteAsync()
    {
        var partners = Odoo.Partners;
        var companies = partners.Where(p => p.IsCompany && p.ParentId is null && p.Active).ToList();
        var duplicated = companies.GroupBy(p => p.Text("website")).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(duplicated.Count == 0, "Odoo companies created more than once: " + string.Join(", ", duplicated.Take(10)));
        var expectedWebsites = ValidAccountIds.Select(id => _websiteByAccount[id]).Order(StringComparer.Ordinal).ToList();
        var actualWebsites = companies.Select(p => p.Text("website") ?? "(none)").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedWebsites.Count, actualWebsites.Count);
        Assert.Equal(expectedWebsites, actualWebsites);

        var contactEmails = partners.Where(p => p.ParentId is not null && p.Active && p.Type == "contact").Select(p => p.Text("email") ?? "(none)").ToList();
        Assert.Equal(ValidAccountIds.Select(id => _contactEmailByAccount[id]).Order(StringComparer.Ordinal), contactEmails.Order(StringComparer.Ordinal));

        await using var host = BuildHost();
        var deadLetters = await host.GetRequiredService<IDeadLetterStore>().ListAsync(new DeadLetterQuery { Flow = FlowName }).ToListAsync();
        var open = deadLetters.Where(d => d.Status is DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered).ToList();
        Assert.All(open, d => Assert.Equal(DeadLetterStatus.DeadLettered, d.Status));
        Assert.All(open, d => Assert.Equal(ErrorCategory.Validation, d.Category));
        Assert.Equal(InvalidAccountIds.Order(StringComparer.Ordinal), open.Select(d => d.SourceExternalId).Order(StringComparer.Ordinal));

        // Events a killed worker had claimed stay leased until EndToEndFlow.OutboxLease has passed: dispatch until then.
        var outbox = host.GetRequiredService<IOutbox>();
        var dispatchUntil = DateTimeOffset.UtcNow + EndToEndFlow.OutboxLease + TimeSpan.FromSeconds(2);
        await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();
        while (await outbox.CountPendingAsync() > 0 && DateTimeOffset.UtcNow < dispatchUntil)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();
        }

        Assert.Equal(0, await outbox.CountPendingAsync());
        var customers = await host.GetRequiredService<IIdentityMap>().ListAsync("odoo").ToListAsync();
        Assert.Equal(ValidAccountIds.Count, customers.Count);
        var published = await PublishedEventsAsync();
        var created = published.Where(e => e.Type == CustomerEventTypes.Created).Select(e => e.Subject).ToHashSet(StringComparer.Ordinal);
        var missing = customers.Select(c => c.CanonicalId).Where(id => !created.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            // What the state says of the first few: whether they were audited, and which events they had.
            var audit = host.GetRequiredService<Concord.Sync.Audit.IAuditLog>();
            var lines = new List<string>();
            foreach (var id in missing.Take(5))
            {
                var events = published.Where(e => e.Subject == id).Select(e => e.Type);
                var entries = await audit.QueryAsync(new Concord.Sync.Audit.AuditQuery { Flow = FlowName, CanonicalId = id }).Select(a => $"{a.At:HH:mm:ss.fff} {a.Outcome} {a.Actor} [{string.Join(",", a.FieldsChanged)}] {a.Detail}").ToListAsync();
                lines.Add($"{id}: events [{string.Join(", ", events)}]; audit [{string.Join(" | ", entries)}]");
            }

            Assert.Fail($"{missing.Count} customers have no customer.created event, e.g.\n{string.Join("\n", lines)}");
        }
    }

    /// <summary>Every event published: what reached the broker, in its order, when there is one (<see cref="UseRabbitMqAsync"/>); else <see cref="PublishedEvents"/>.</summary>
    public async Task<IReadOnlyList<(string Id, string Type, string Subject)>> PublishedEventsAsync() =>
        Broker is null ? [.. PublishedEvents()] : await Broker.DrainAsync();

    /// <summary>Every event published, by worker processes (their files) and by this process, in the order they were published (by the machine's monotonic clock, which all processes share).</summary>
    public IEnumerable<(string Id, string Type, string Subject)> PublishedEvents()
    {
        var fromWorkers = Directory.Exists(EventsPath)
            ? Directory.EnumerateFiles(EventsPath).SelectMany(File.ReadLines).Select(l => l.Split(' ')).Where(p => p.Length == 4)
                .Select(p => (At: long.Parse(p[0], CultureInfo.InvariantCulture), Id: p[1], Type: p[2], Subject: p[3]))
            : [];
        return fromWorkers.Concat(_publishedHere).OrderBy(e => e.At).Select(e => (e.Id, e.Type, e.Subject)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        await Salesforce.DisposeAsync();
        await Odoo.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (PostgreSqlSchema is not null)
        {
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgreSqlConnectionString);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {PostgreSqlSchema} CASCADE;");
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class RecordingPublisher(ConcurrentQueue<(long At, string Id, string Type, string Subject)> published) : IOutboxPublisher
    {
        public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
        {
            published.Enqueue((System.Diagnostics.Stopwatch.GetTimestamp(), cloudEvent.Id ?? string.Empty, cloudEvent.Type ?? string.Empty, cloudEvent.Subject ?? string.Empty));
            return Task.CompletedTask;
        }
    }
}

/// <summary>A request-rate limit: <paramref name="Count"/> requests in any <paramref name="Window"/>, enforced by the simulators; the connectors draw from one
/// shared budget of that size (<paramref name="Shared"/>) or each from its own, taking up to <paramref name="BatchSize"/> permits per store call.</summary>
internal sealed record VendorRateLimit(int Count, TimeSpan Window, bool Shared = true, int BatchSize = 1);
