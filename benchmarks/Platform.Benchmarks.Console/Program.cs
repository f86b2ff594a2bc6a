using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Automation.Tests.EndToEnd;

// Nine stacks in one stage, promoted at concurrency 1 and 3 against the fake pulumi with a fixed delay per engine step.
// "Console overhead" is the wall time not spent inside pulumi processes (start-up, STS, compile for the version hash,
// event-log parsing, ledger), per stack, measured at concurrency 1.
const int stacks = 9;
var delayMs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
Console.WriteLine($"platform console benchmark: {stacks} stacks, fake pulumi delay {delayMs} ms per step, template of 4 resources");
foreach (var concurrency in new[] { 1, 3 })
{
    var names = Enumerable.Range(1, stacks).Select(i => (Stack: $"acct{i}", Account: $"4000000000{i:00}")).ToList();
    var template = Path.Combine(Path.GetTempPath(), $"platform-bench-{Guid.NewGuid():N}");
    Directory.CreateDirectory(template);
    File.WriteAllText(Path.Combine(template, "emit.sh"), "#!/bin/sh\ncat \"$(dirname \"$0\")/template.yaml\"\n");
    File.WriteAllText(Path.Combine(template, "template.yaml"), """
        resources:
          network-vpc: {type: "aws:ec2/vpc:Vpc", properties: {cidrBlock: 10.0.0.0/16}}
          network-igw: {type: "aws:ec2/internetGateway:InternetGateway", properties: {vpcId: "${network-vpc.id}"}}
          logs-group: {type: "aws:cloudwatch/logGroup:LogGroup", properties: {retentionInDays: 30}}
          data-bucket: {type: "aws:s3/bucket:Bucket", properties: {forceDestroy: true}}
        outputs:
          vpcId: ${network-vpc.id}
        """);
    var rollout = $"stages:\n  - name: fleet\n    concurrency: {concurrency}\n    stacks: [{string.Join(", ", names.Select(n => n.Stack))}]\n";
    using var world = new World(rollout, names, compiler: $"sh {Path.Combine(template, "emit.sh")}");
    foreach (var (stack, _) in names) world.Fault(stack, "slowMs", delayMs);

    var watch = Stopwatch.StartNew();
    var run = world.Run("promote");
    watch.Stop();
    if (run.ExitCode != 0)
    {
        Console.WriteLine(run);
        return 1;
    }
    var inPulumi = ChildSeconds(world);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"concurrency {concurrency}: wall {watch.Elapsed.TotalSeconds:0.00} s for {stacks} stacks; pulumi child processes {inPulumi:0.00} s in total; {world.Invocations().Count} pulumi calls"));
    if (concurrency == 1)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"console overhead per stack: {(watch.Elapsed.TotalSeconds - inPulumi) / stacks:0.000} s (wall minus time inside pulumi at concurrency 1; includes the start-up of the {world.Invocations().Count / stacks} pulumi processes per stack)"));
    Directory.Delete(template, true);
}
return 0;

// The time the fake pulumi processes ran, from their own start/exit records.
static double ChildSeconds(World world)
{
    var starts = new Dictionary<int, DateTimeOffset>();
    var total = 0.0;
    foreach (var r in world.InvocationRecords())
    {
        var pid = (int)r["pid"]!;
        var time = DateTimeOffset.Parse((string)r["time"]!, CultureInfo.InvariantCulture);
        if ((string?)r["phase"] == "start") starts[pid] = time;
        else if ((string?)r["phase"] == "exit" && starts.Remove(pid, out var start)) total += (time - start).TotalSeconds;
    }
    return total;
}
