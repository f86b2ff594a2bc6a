using System.Diagnostics;
using System.Text.Json;
using Platform.Automation.Stacks;
using Platform.Infra;

// Compile-time figures (a benchmark, not a test): run with
//   dotnet run -c Release --project benchmarks/Platform.Benchmarks [-- <root>]
// Prints the in-process compile time of each stack, a synthetic stack with 100 times the components, and the wall time
// of Pulumi.yaml's compiler command per stack and for all stacks (what Pulumi pays 2-4 times per command) against the
// floor of a `dotnet` hello world.
var layout = args.Length > 0 ? new ProjectLayout(args[0]) : ProjectLayout.Discover(Directory.GetCurrentDirectory());
const int Rounds = 20;

Console.WriteLine($"Platform compiler benchmark ({Environment.ProcessorCount} cores, {Rounds} rounds, median)");
Console.WriteLine();
Console.WriteLine($"{"what",-44} {"median",10} {"min",10} {"resources",10} {"bytes",10}");

foreach (var stack in layout.Stacks)
{
    var config = layout.ReadStack(stack).Values;
    CompileResult? result = null;
    var times = Measure(() => result = StackCompiler.Compile(new CompileRequest(layout.ProjectName, stack, config, layout.RootDirectory)));
    Report($"in-process compile: {stack}", times, result!.Template!.Resources.Count, result.Text!.Length);
}

// The synthetic stack: dev with every service copied 100 times (each copy brings its stores, CDN, container
// service, roles and grants), compiled through the same path as any stack, policy pack included.
var synthetic = new Dictionary<string, string>(layout.ReadStack("dev").Values);
var services = System.Text.Json.Nodes.JsonNode.Parse(synthetic["platform:services"])!.AsObject();
var copies = new System.Text.Json.Nodes.JsonObject();
foreach (var (name, service) in services)
    for (var i = 0; i < 100; i++)
        copies[$"{name}-{i:000}"] = service!.DeepClone();
synthetic["platform:services"] = copies.ToJsonString();
// Each copy keeps its service's objectives (platform:monitoring names services).
if (synthetic.TryGetValue("platform:monitoring", out var monitoringText) && System.Text.Json.Nodes.JsonNode.Parse(monitoringText)!.AsObject() is { } monitoring
    && monitoring["objectives"]?.AsObject() is { } objectives)
{
    var copied = new System.Text.Json.Nodes.JsonObject();
    foreach (var (name, objective) in objectives)
        for (var i = 0; i < 100; i++)
            copied[$"{name}-{i:000}"] = objective!.DeepClone();
    monitoring["objectives"] = copied;
    synthetic["platform:monitoring"] = monitoring.ToJsonString();
}
CompileResult? big = null;
var syntheticTimes = Measure(() => big = StackCompiler.Compile(new CompileRequest(layout.ProjectName, "synthetic", synthetic)), rounds: 5);
if (!big!.Succeeded) throw new InvalidOperationException(big.ErrorMessage);
Report($"in-process compile: {services.Count} services x 100", syntheticTimes, big.Template!.Resources.Count, big.Text!.Length);
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
StackCompiler.Compile(new CompileRequest(layout.ProjectName, "synthetic", synthetic));
Console.WriteLine($"{"  allocated by one synthetic compile",-44} {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0,8:F1}MB");

// Start-up: Pulumi runs the compiler command 2-4 times per preview or update, so what counts is one run of exactly
// Pulumi.yaml's command, against the floor of starting any .NET program: `dotnet` running a hello world built with
// this benchmark. Rounds interleave every command, so a busy machine weighs on each alike.
var argv = layout.CompilerArguments;
var floorDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "Platform.Benchmarks.Floor", Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "Platform.Benchmarks.Floor.dll");
var configs = layout.Stacks.ToDictionary(s => s, s => JsonSerializer.Serialize(layout.ReadStack(s).Values));
var bytes = new Dictionary<string, int>();
var startups = new List<(string What, string? Stack, int Floors, Action Run)> { ("floor: dotnet hello world", null, 1, () => RunProcess(["dotnet", Path.GetFullPath(floorDll)], null, null)) };
foreach (var (stack, config) in configs)
    startups.Add(($"Pulumi.yaml command ({layout.Compiler}): {stack}", stack, 1, () => bytes[stack] = RunProcess(argv, stack, config)));
startups.Add(($"  all {configs.Count} stacks in a row (vs {configs.Count} floors)", null, configs.Count, () => { foreach (var (stack, config) in configs) RunProcess(argv, stack, config); }));
startups.Add(("Pulumi.yaml command: no stack (discovery)", null, 1, () => RunProcess(argv, null, null)));
const int ProcessRounds = 10;
foreach (var (_, _, _, run) in startups) run(); // warm-up (and the compiler's build, if a source changed)
var startupTimes = startups.Select(_ => new double[ProcessRounds]).ToList();
for (var round = 0; round < ProcessRounds; round++)
    for (var i = 0; i < startups.Count; i++)
    {
        var watch = Stopwatch.StartNew();
        startups[i].Run();
        startupTimes[i][round] = watch.Elapsed.TotalMilliseconds;
    }
startupTimes.ForEach(Array.Sort);
var floor = startupTimes[0][ProcessRounds / 2];
Console.WriteLine();
Console.WriteLine($"Start-up: {ProcessRounds} interleaved rounds, median; \"x floor\": the median over the floor's median");
Console.WriteLine($"{"what",-44} {"median",10} {"min",10} {"x floor",10} {"bytes",10}");
for (var i = 0; i < startups.Count; i++)
{
    var (what, stack, floors, _) = startups[i];
    var median = startupTimes[i][ProcessRounds / 2];
    Console.WriteLine($"{what,-44} {median,8:F1}ms {startupTimes[i][0],8:F1}ms {median / (floors * floor),9:F2}x {(stack is null ? "" : bytes[stack].ToString()),10}");
}
Console.WriteLine($"{"peak working set of this process",-44} {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,8:F1}MB");
return 0;

// Runs a command the way the Pulumi YAML runtime runs the compiler (in the program directory, PULUMI_* only as given,
// stdout read to the end); returns the length of stdout.
int RunProcess(IReadOnlyList<string> argv, string? stack, string? config)
{
    var start = new ProcessStartInfo(argv[0]) { WorkingDirectory = layout.ProgramDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
    foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
    if (stack is not null)
    {
        start.Environment["PULUMI_STACK"] = stack;
        start.Environment["PULUMI_PROJECT"] = layout.ProjectName;
        start.Environment["PULUMI_ROOT_DIRECTORY"] = layout.RootDirectory;
        start.Environment["PULUMI_CONFIG"] = config;
    }
    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', argv)} failed: {stderr.Result}");
    return stdout.Length;
}

static double[] Measure(Action action, int rounds = Rounds)
{
    action(); // warm-up
    var times = new double[rounds];
    for (var i = 0; i < rounds; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times;
}

static void Report(string what, double[] sorted, int? resources, int? bytes) =>
    Console.WriteLine($"{what,-44} {sorted[sorted.Length / 2],8:F1}ms {sorted[0],8:F1}ms {resources?.ToString() ?? "",10} {bytes?.ToString() ?? "",10}");
