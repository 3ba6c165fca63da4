using Concord.Soak.Runner;

// build/soak.sh runs this program: soak [--customers N] [--seed S] ... (see SoakOptions.Usage).
// "worker <settings.json>" is the child process it starts, SIGKILLs and restarts.
if (args is ["worker", var settings])
{
    return await SoakWorker.RunAsync(settings);
}

if (args is ["--help" or "-h"])
{
    Console.WriteLine(SoakOptions.Usage);
    return 0;
}

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var report = await SoakRun.RunAsync(options, Console.Out);
return report.Passed ? 0 : 1;
