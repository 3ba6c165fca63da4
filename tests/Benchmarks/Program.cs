using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Concord.Benchmarks;

// build/bench.sh [--smoke] [--list] [scenario or BenchmarkDotNet class name ...]
//   no names : every scenario, then every BenchmarkDotNet class
//   a class is named as written (SchemaValidationBenchmarks) or in kebab case without the suffix (schema-validation)
//   --smoke  : every scenario in its short form and BenchmarkDotNet with a dry job (checks they run)
var smoke = args.Contains("--smoke");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();
var benchmarkTypes = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false).Length > 0))
    .OrderBy(t => t.Name, StringComparer.Ordinal)
    .ToArray();

if (args.Contains("--list"))
{
    Console.WriteLine("Scenarios: " + string.Join(", ", scenarios.Select(s => s.Name)));
    Console.WriteLine("BenchmarkDotNet classes: " + string.Join(", ", benchmarkTypes.Select(t => $"{ShortName(t)} ({t.Name})")));
    return 0;
}

var selectedScenarios = names.Count == 0 ? scenarios : scenarios.Where(s => names.Contains(s.Name)).ToList();
var selectedBenchmarks = names.Count == 0 ? benchmarkTypes : benchmarkTypes.Where(t => names.Contains(t.Name) || names.Contains(ShortName(t))).ToArray();
if (selectedScenarios.Count == 0 && selectedBenchmarks.Length == 0)
{
    Console.Error.WriteLine($"Nothing matches '{string.Join(' ', names)}'. Try --list.");
    return 2;
}

foreach (var scenario in selectedScenarios)
{
    Console.WriteLine($"## scenario {scenario.Name}{(smoke ? " (smoke)" : string.Empty)}");
    await scenario.RunAsync(smoke, Console.Out, CancellationToken.None);
    Console.WriteLine();
}

if (selectedBenchmarks.Length > 0)
{
    // In-process: the project file is named after its folder (Benchmarks.csproj) while the assembly is
    // Concord.Benchmarks, which BenchmarkDotNet's generated out-of-process project cannot find.
    var job = (smoke ? Job.Dry : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
    // One summary per class: each class is measured against its own [Benchmark(Baseline = true)].
    IConfig config = DefaultConfig.Instance.AddJob(job.AsDefault());

    BenchmarkRunner.Run(selectedBenchmarks, config);
}

return 0;

// SchemaValidationBenchmarks -> schema-validation
static string ShortName(Type type)
{
    var name = type.Name.EndsWith("Benchmarks", StringComparison.Ordinal) ? type.Name[..^"Benchmarks".Length] : type.Name;
    return string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
