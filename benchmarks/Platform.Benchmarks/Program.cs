using System.Diagnostics;
using System.Text.Json;
using Platform.Automation.Stacks;
using Platform.Infra;
using Platform.Infra.Components;
using Platform.Infra.Model;
using Platform.Infra.Settings;

// Compile-time figures (a benchmark, not a test): run with
//   dotnet run -c Release --project benchmarks/Platform.Benchmarks [-- <root>]
// Prints the in-process compile time of each stack, the wall time of Pulumi.yaml's compiler command (what Pulumi
// pays 2-4 times per command), and a synthetic stack with 100 times the components.
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

var baseSettings = StackSettings.Load(layout.ProjectName, "dev", layout.ReadStack("dev").Values);
(int Resources, int Bytes) synthetic = default;
var syntheticTimes = Measure(() =>
{
    var template = new Template("synthetic");
    var context = new StackContext(layout.ProjectName, "synthetic", template);
    for (var i = 0; i < 100; i++)
        _ = new Network(new ComponentScope(context, $"network{i:000}"), new NetworkArgs(baseSettings.Network, baseSettings.Aws, 30));
    var text = TemplateWriter.Write(template);
    synthetic = (template.Resources.Count, text.Length);
});
Report("in-process compile: 100 x components", syntheticTimes, synthetic.Resources, synthetic.Bytes);

var argv = layout.Compiler!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
foreach (var stack in layout.Stacks)
{
    var config = JsonSerializer.Serialize(layout.ReadStack(stack).Values);
    var bytes = 0;
    var times = Measure(() => bytes = RunCompiler(argv, stack, config), rounds: 10);
    Report($"Pulumi.yaml command ({layout.Compiler}): {stack}", times, null, bytes);
}
var discoveryTimes = Measure(() => RunCompiler(argv, null, null), rounds: 10);
Report("Pulumi.yaml command: no stack (discovery)", discoveryTimes, null, null);
return 0;

int RunCompiler(string[] argv, string? stack, string? config)
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
    if (process.ExitCode != 0) throw new InvalidOperationException($"compiler failed: {stderr.Result}");
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
