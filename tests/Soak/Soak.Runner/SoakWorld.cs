using System.Globalization;
using System.Text.Json;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Testing;
using Concord.Testing.Odoo;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Soak.Runner;

/// <summary>
/// The simulators (in this process, on 127.0.0.1), the seeded Salesforce org, the edits made to it with their history,
/// and what the worker processes need to run the flows against them.
/// </summary>
internal sealed class SoakWorld : IAsyncDisposable
{
    private readonly SoakData _data;
    private readonly string[] _accountIds;
    private readonly string[] _contactIds;
    private readonly Dictionary<int, List<string>> _earlierNames = [];
    private readonly Dictionary<int, List<string>> _earlierContactNames = [];
    private readonly Dictionary<int, string> _contactLastNames = [];
    private readonly Dictionary<int, string> _names = [];

    public SoakWorld(SoakOptions options, SoakData data, string folder)
    {
        Options = options;
        _data = data;
        Folder = folder;
        // The change feed reads a page or two of each query and queries again from its cursor: each abandoned query cursor
        // holds every row still to come (up to all the accounts), so keep only the 20 used last (memory grew as N²).
        Salesforce = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = long.MaxValue / 2, Seed = options.Seed, MaxOpenQueryCursors = 20 });
        var odoo = new OdooSimulatorOptions { Seed = options.Seed + 1 };
        odoo.TrackedFields.Add("name");
        odoo.TrackedFields.Add("email");
        Odoo = new OdooSimulator(odoo);

        _accountIds = new string[data.Customers];
        _contactIds = new string[data.Customers];
        for (var i = 0; i < data.Customers; i++)
        {
            _accountIds[i] = Salesforce.SeedAccount(null, SoakData.Name(i), new Dictionary<string, object?>
            {
                ["Website"] = SoakData.Website(i),
                ["Phone"] = SoakData.Phone(i),
                ["BillingStreet"] = string.Create(CultureInfo.InvariantCulture, $"{(i % 200) + 1} Invalidenstrasse"),
                ["BillingCity"] = "Berlin",
                ["BillingPostalCode"] = "10115",
                ["BillingCountry"] = SoakData.IsValid(i) ? "DE" : "Narnia",
            });
            _contactIds[i] = Salesforce.SeedContact(_accountIds[i], null, SoakData.ContactLastName(i), new Dictionary<string, object?>
            {
                ["FirstName"] = SoakData.ContactFirstName,
                ["Email"] = SoakData.ContactEmail(i),
            });
        }

        SalesforceFaults = new SoakFaults(options.Seed * 31, options.FaultShare);
        OdooFaults = new SoakFaults(options.Seed * 37, options.FaultShare, IsOdooWrite);
    }

    public SoakOptions Options { get; }

    public string Folder { get; }

    public SalesforceSimulator Salesforce { get; }

    public OdooSimulator Odoo { get; }

    public SoakFaults SalesforceFaults { get; }

    public SoakFaults OdooFaults { get; }

    public string StatePath => Path.Combine(Folder, "state", "concord.db");

    public string EventsPath => Path.Combine(Folder, "events.jsonl");

    public string FeedPath => Path.Combine(Folder, "feed.jsonl");

    public string SettingsPath => Path.Combine(Folder, "worker-settings.json");

    public string WorkerLogPath => Path.Combine(Folder, "worker.log");

    /// <summary>Edits applied so far (source changes).</summary>
    public int EditsApplied { get; private set; }

    /// <summary>Of those, changes back to an earlier value.</summary>
    public int Reverts { get; private set; }

    /// <summary>When the last edit was made.</summary>
    public DateTimeOffset LastEditAt { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Starts the faults on both simulators.</summary>
    public void StartFaults()
    {
        SalesforceFaults.Install(Salesforce.Faults);
        OdooFaults.Install(Odoo.Faults);
    }

    /// <summary>Renames account <paramref name="account"/> as a Salesforce user would.</summary>
    public void Rename(int account, string name)
    {
        var earlier = Earlier(_earlierNames, account);
        earlier.Add(CurrentName(account));
        Reverts += earlier.Contains(name, StringComparer.Ordinal) ? 1 : 0;
        Salesforce.EditRecord(_accountIds[account], new Dictionary<string, object?> { ["Name"] = name });
        _names[account] = name;
        Edited();
    }

    /// <summary>Changes the last name of account <paramref name="account"/>'s contact.</summary>
    public void RenameContact(int account, string lastName)
    {
        var current = _contactLastNames.GetValueOrDefault(account) ?? SoakData.ContactLastName(account);
        var earlier = Earlier(_earlierContactNames, account);
        earlier.Add($"{SoakData.ContactFirstName} {current}");
        Reverts += earlier.Contains($"{SoakData.ContactFirstName} {lastName}", StringComparer.Ordinal) ? 1 : 0;
        Salesforce.EditRecord(_contactIds[account], new Dictionary<string, object?> { ["LastName"] = lastName });
        _contactLastNames[account] = lastName;
        Edited();
    }

    /// <summary>Forgets the simulators' request journals (their memory grows with every request; the soak counts faults itself).</summary>
    public void ClearJournals()
    {
        Salesforce.Journal.Clear();
        Odoo.Journal.Clear();
    }

    /// <summary>The configuration a worker runs with, written to <see cref="SettingsPath"/>.</summary>
    public void WriteSettings()
    {
        var sf = Salesforce.Options;
        var odoo = Odoo.Options;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SoakFlows.StatePathKey] = StatePath,
            [SoakFlows.EventsPathKey] = EventsPath,
            [SoakFlows.FeedPathKey] = FeedPath,
            ["Soak:Options"] = string.Create(CultureInfo.InvariantCulture, $"--customers {Options.Customers} --seed {Options.Seed} --kills {Options.Kills} --edits {Options.EditShare} --shop {Options.ShopShare}"),
            ["Concord:Salesforce:BaseAddress"] = Salesforce.MyDomainUrl.ToString(),
            ["Concord:Salesforce:AllowInsecureHttp"] = "true",
            ["Concord:Salesforce:AuthMode"] = "ClientCredentials",
            ["Concord:Salesforce:ClientId"] = sf.ConsumerKey,
            ["Concord:Salesforce:ClientSecret"] = sf.ConsumerSecret,
            ["Concord:Salesforce:AccountExternalIdField"] = sf.AccountExternalIdField,
            ["Concord:Salesforce:ContactExternalIdField"] = sf.ContactExternalIdField,
            ["Concord:Odoo:BaseAddress"] = Odoo.BaseAddress.ToString(),
            ["Concord:Odoo:AllowInsecureHttp"] = "true",
            ["Concord:Odoo:Database"] = odoo.Database,
            ["Concord:Odoo:Login"] = odoo.Login,
            ["Concord:Odoo:ApiKey"] = odoo.ApiKey,
        };
        foreach (var connector in new[] { "Salesforce", "Odoo" })
        {
            var resilience = $"Concord:{connector}:Resilience:";
            settings[resilience + "BaseDelay"] = "00:00:00.010";
            // Not below the faults' Retry-After (1 s): a throttle is waited out and retried, as with the default (30 s). Below
            // it every 429 failed its call at once, and the change feed's first read (every Contact within the 5 min
            // overlap: 50 pages at 100,000) never got through a pass without one.
            settings[resilience + "MaxDelay"] = "00:00:01";
            settings[resilience + "UseJitter"] = "false";
            settings[resilience + "MaxRetryAttempts"] = "5";
            settings[resilience + "PermitLimit"] = "100000";
            settings[resilience + "QueueLimit"] = "100000";
            settings[resilience + "MinimumThroughput"] = "100000";
        }

        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(SettingsPath, JsonSerializer.Serialize(settings));
    }

    /// <summary>Reads everything the checks need: both simulators' final state, the edit history, the events and Concord's state.</summary>
    public async Task<SoakObservation> ObserveAsync()
    {
        var accounts = Salesforce.Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var contactsByAccount = Salesforce.Contacts.Where(c => !c.IsDeleted && c.AccountId is not null).GroupBy(c => c.AccountId!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var source = new List<SourceCustomer>(_accountIds.Length);
        for (var i = 0; i < _accountIds.Length; i++)
        {
            var account = accounts[_accountIds[i]];
            var contacts = (contactsByAccount.GetValueOrDefault(account.Id) ?? [])
                .Select(c => new SourceContact(c["Email"]!, string.Join(' ', new[] { c["FirstName"], c["LastName"] }.Where(n => !string.IsNullOrWhiteSpace(n))), _earlierContactNames.GetValueOrDefault(i) ?? []))
                .ToList();
            source.Add(new SourceCustomer(account.Id, SoakData.IsValid(i), account["Website"]!, account["Name"]!, _earlierNames.GetValueOrDefault(i) ?? [], contacts));
        }

        var partners = Odoo.Partners
            .Select(p => new TargetPartner(p.Id, p.ParentId, p.IsCompany, p.Active, p.Name, p.Text("website"), p.Text("email")))
            .ToList();
        var creations = new Dictionary<long, DateTimeOffset>();
        var changes = new List<TargetChange>();
        foreach (var value in Odoo.TrackingValues())
        {
            if (!creations.TryGetValue(value.PartnerId, out var created))
            {
                creations[value.PartnerId] = created = value.At;
            }

            changes.Add(new TargetChange(value.PartnerId, value.Field, value.NewValue as string, value.OldValue is null && created == value.At));
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(SettingsPath))!.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Critical));
        SoakFlows.Add(services, configuration);
        await using var state = services.BuildServiceProvider();
        var audit = new List<AuditRecord>();
        await foreach (var entry in state.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery()))
        {
            audit.Add(new AuditRecord(entry.Flow, entry.CanonicalId, entry.CorrelationId, entry.Outcome, entry.TargetSystem, entry.TargetExternalId, [.. entry.FieldsChanged]));
        }

        var letters = new List<OpenDeadLetter>();
        await foreach (var letter in state.GetRequiredService<IDeadLetterStore>().ListAsync(new DeadLetterQuery()))
        {
            if (letter.Status is DeadLetterStatus.DeadLettered or DeadLetterStatus.Deferred)
            {
                letters.Add(new OpenDeadLetter(letter.Flow, letter.SourceExternalId, letter.Status.ToString(), letter.Reason));
            }
        }

        var links = new List<TargetLink>();
        await foreach (var entry in state.GetRequiredService<IIdentityMap>().ListAsync("odoo"))
        {
            if (entry.LinkTo("odoo") is { } link)
            {
                links.Add(new TargetLink(entry.CanonicalId, link.ExternalId));
            }
        }

        var pending = await state.GetRequiredService<IOutbox>().CountPendingAsync();
        return new SoakObservation
        {
            Source = source,
            Shop = _data.Shop,
            Target = partners,
            TargetChanges = changes,
            Events = EventLog.Read(EventsPath),
            FeedDeliveries = FeedRecorder.Read(FeedPath),
            Audit = audit,
            DeadLetters = letters,
            Links = links,
            PendingEvents = pending,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Salesforce.DisposeAsync();
        await Odoo.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private string CurrentName(int account) => _names.GetValueOrDefault(account) ?? SoakData.Name(account);

    private static List<string> Earlier(Dictionary<int, List<string>> earlier, int account)
    {
        if (!earlier.TryGetValue(account, out var list))
        {
            earlier[account] = list = [];
        }

        return list;
    }

    private void Edited()
    {
        EditsApplied++;
        LastEditAt = DateTimeOffset.UtcNow;
    }

    private static bool IsOdooWrite(SimulatorRequest request) =>
        request.Body is { } body && (body.Contains("\"load\"", StringComparison.Ordinal) || body.Contains("\"write\"", StringComparison.Ordinal) || body.Contains("\"create\"", StringComparison.Ordinal));
}
