// Child process of TwoProcessClaimTests: opens the SQLite file given on the command line through the public
// UseSqlite registration, says "ready", waits for "go" on standard input (so both processes start together),
// claims the same keys as the parent (walking them in reverse), appends each key it acquires to the given file, and exits 0.
// Usage: Concord.Storage.Sqlite.Worker <database> <key-count> <loops> <acquisitions-file>
//        Concord.Storage.Sqlite.Worker leases <database> <key-count> <acquisitions-file>   (TwoProcessLeaseTests: write leases and match-key locks)
using System.Globalization;
using Concord.Storage.Sqlite.Worker;
using Concord.Sync.Idempotency;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;

if (args.Length == 4 && args[0] == "leases")
{
    var leaseServices = new ServiceCollection();
    leaseServices.AddConcord().UseSqlite(args[1]);
    await using var leaseProvider = leaseServices.BuildServiceProvider();
    var ledger = leaseProvider.GetRequiredService<IWriteLedger>();
    _ = await ledger.GetAsync("warm-up", "odoo").ConfigureAwait(false);
    Console.WriteLine("ready");
    if (await Console.In.ReadLineAsync().ConfigureAwait(false) != "go")
    {
        return 3;
    }

    var leased = await LeaseWorker.RunAsync(ledger, int.Parse(args[2], CultureInfo.InvariantCulture), owner: "child", reverse: true, acquisitionsFile: args[3]).ConfigureAwait(false);
    Console.WriteLine(FormattableString.Invariant($"done {leased}"));
    return 0;
}

if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: <database> <key-count> <loops> <acquisitions-file>").ConfigureAwait(false);
    return 2;
}

var services = new ServiceCollection();
services.AddConcord().UseSqlite(args[0]);
await using var provider = services.BuildServiceProvider();
var store = provider.GetRequiredService<IIdempotencyStore>();

// Open the file and migrate before saying ready, so the race starts at the claims.
_ = await store.GetAsync(ClaimWorker.Key(0)).ConfigureAwait(false);
Console.WriteLine("ready");
if (await Console.In.ReadLineAsync().ConfigureAwait(false) != "go")
{
    return 3;
}

var acquired = await ClaimWorker.RunAsync(
    store,
    int.Parse(args[1], CultureInfo.InvariantCulture),
    int.Parse(args[2], CultureInfo.InvariantCulture),
    owner: "child",
    reverse: true,
    acquisitionsFile: args[3]).ConfigureAwait(false);
Console.WriteLine(FormattableString.Invariant($"done {acquired}"));
return 0;
