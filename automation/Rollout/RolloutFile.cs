using Platform.Automation.Pulumi;
using Platform.Automation.Stacks;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Rollout;

/// <summary>Post-deployment checks of a stage: stack outputs that must exist, and an optional HTTP health check.</summary>
public sealed record PostChecks(IReadOnlyList<string> Outputs, HealthCheck? Health)
{
    public static readonly PostChecks None = new([], null);
}

/// <summary>GET the URL in stack output <paramref name="Output"/> (plus <paramref name="Path"/>) until it answers 2xx/3xx.</summary>
public sealed record HealthCheck(string Output, string Path, int Attempts, TimeSpan Interval);

/// <summary>One stage of the rollout: its stacks (accounts, regions), how many run at once, and its gates.</summary>
public sealed record Stage(
    string Name,
    string? After,
    IReadOnlyList<string> Stacks,
    int Concurrency,
    bool RequiresApproval,
    bool Protected,
    int? MaxChanges,
    IReadOnlyList<string> AllowDestructive,
    PostChecks Checks);

/// <summary>
/// The checked-in rollout file (rollout.yaml): the stages in order. Loading validates everything and reports every
/// problem at once: unknown or duplicate stacks, empty stages, cycles, unknown predecessors, branches.
/// </summary>
public sealed class RolloutFile
{
    public const string DefaultFileName = "rollout.yaml";

    private RolloutFile(string path, IReadOnlyList<Stage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    /// <summary>The stages in rollout order (each after the one before it).</summary>
    public IReadOnlyList<Stage> Stages { get; }

    public Stage? StageOf(string stack) => Stages.FirstOrDefault(s => s.Stacks.Contains(stack, StringComparer.Ordinal));

    public Stage? Find(string name) => Stages.FirstOrDefault(s => s.Name == name);

    public Stage Require(string name) => Find(name) ?? throw new BadInputException(
        $"Unknown stage '{name}': {System.IO.Path.GetFileName(Path)} has the stages {string.Join(", ", Stages.Select(s => s.Name))}.",
        "use one of those stage names");

    /// <summary>The stage before <paramref name="stage"/>, or null for the first.</summary>
    public Stage? Previous(Stage stage)
    {
        var i = Stages.ToList().IndexOf(stage);
        return i > 0 ? Stages[i - 1] : null;
    }

    /// <summary>
    /// The checks of <paramref name="stack"/>'s stage that name a stack output its compiled template does not export:
    /// one message each, naming the file, the stage, the output and the outputs the stack has. Such a check could only
    /// fail after the update, so <c>plan</c> and <c>promote</c> refuse it before anything runs
    /// (<see cref="RefuseUnexportedOutputs"/>).
    /// </summary>
    public IReadOnlyList<string> UnexportedOutputs(string stack, IEnumerable<string> exported)
    {
        if (StageOf(stack) is not { } stage) return [];
        var outputs = exported.Order(StringComparer.Ordinal).ToList();
        var named = stage.Checks.Outputs.Select(o => (Key: "checks.outputs", Output: o));
        if (stage.Checks.Health is { } health) named = named.Append(("checks.health.output", health.Output));
        return named.Where(n => !outputs.Contains(n.Output, StringComparer.Ordinal))
            .Select(n => $"{System.IO.Path.GetFileName(Path)}, stage '{stage.Name}': {n.Key} names '{InputFile.Shown(n.Output)}', which stack '{stack}' does not export " +
                         $"(its outputs: {(outputs.Count == 0 ? "none" : string.Join(", ", outputs))})")
            .ToList();
    }

    /// <summary>Bad input listing every problem <see cref="UnexportedOutputs"/> found, if any.</summary>
    public void RefuseUnexportedOutputs(IReadOnlyList<string> problems)
    {
        if (problems.Count == 0) return;
        throw new BadInputException($"{Path}: {problems.Count} check{(problems.Count == 1 ? "" : "s")} of the stages name{(problems.Count == 1 ? "s" : "")} a stack output that is not exported; nothing was run:\n" +
                                    string.Join("\n", problems.Select(p => "  - " + p)),
            $"name an output the stack exports, or remove the check, in {System.IO.Path.GetFileName(Path)} (see docs/console.md, 'The rollout file')");
    }

    public static RolloutFile Load(string path, IReadOnlyCollection<string> knownStacks) =>
        Parse(path, InputFile.LoadMap(path, "create rollout.yaml at the repository root (see docs/console.md), or pass --rollout FILE"), knownStacks);

    public static RolloutFile Parse(string path, YamlMappingNode root, IReadOnlyCollection<string> knownStacks)
    {
        var name = System.IO.Path.GetFileName(path);
        var problems = new List<string>();
        var stages = new List<Stage>();
        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var stagesNode) || stagesNode is not YamlSequenceNode list || list.Children.Count == 0)
            throw new BadInputException($"{path}: 'stages' must be a non-empty list of stages; nothing was run.", $"fix {name} (see docs/console.md, 'The rollout file')");
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k != "stages"))
            problems.Add($"unknown top-level key '{InputFile.Shown(key)}' (only 'stages')");

        string? previous = null;
        var index = 0;
        foreach (var node in list.Children)
        {
            index++;
            if (node is not YamlMappingNode s)
            {
                problems.Add($"stage #{index} must be a map with name and stacks");
                continue;
            }
            var stageName = Text(s, "name");
            var where = stageName is null ? $"stage #{index}" : $"stage '{InputFile.Shown(stageName)}'";
            if (string.IsNullOrWhiteSpace(stageName)) problems.Add($"{where} has no name");
            var after = s.Children.ContainsKey(new YamlScalarNode("after")) ? Text(s, "after") is "null" or "~" or "" ? null : Text(s, "after") : previous;
            var stacks = Strings(s, "stacks", where, problems);
            if (stacks.Count == 0) problems.Add($"{where} has no stacks (an empty stage would promote nothing)");
            var concurrency = Int(s, "concurrency", 1, where, problems);
            if (concurrency < 1) problems.Add($"{where}: concurrency must be at least 1");
            int? maxChanges = s.Children.ContainsKey(new YamlScalarNode("maxChanges")) ? Int(s, "maxChanges", 0, where, problems) : null;
            if (maxChanges < 0) problems.Add($"{where}: maxChanges cannot be negative");
            var checks = PostChecks.None;
            if (s.Children.TryGetValue(new YamlScalarNode("checks"), out var c))
            {
                if (c is YamlMappingNode cm)
                {
                    HealthCheck? health = null;
                    if (cm.Children.TryGetValue(new YamlScalarNode("health"), out var h) && h is YamlMappingNode hm)
                    {
                        var output = Text(hm, "output");
                        if (output is null) problems.Add($"{where}: checks.health needs 'output' (the stack output holding the URL)");
                        health = new HealthCheck(output ?? "", Text(hm, "path") ?? "", Int(hm, "attempts", 5, where, problems),
                            TimeSpan.FromSeconds(Int(hm, "intervalSeconds", 5, where, problems)));
                        if (health.Attempts < 1) problems.Add($"{where}: checks.health.attempts must be at least 1");
                    }
                    checks = new PostChecks(Strings(cm, "outputs", where, problems), health);
                }
                else problems.Add($"{where}: checks must be a map (outputs, health)");
            }
            foreach (var key in s.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!))
                if (!StageKeys.Contains(key)) problems.Add($"{where}: unknown key '{InputFile.Shown(key)}' (known: {string.Join(", ", StageKeys)})");
            stages.Add(new Stage(stageName ?? $"#{index}", after, stacks, concurrency, Bool(s, "approval", where, problems), Bool(s, "protected", where, problems),
                maxChanges, Strings(s, "allowDestructive", where, problems), checks));
            previous = stageName;
        }

        foreach (var dup in stages.GroupBy(s => s.Name).Where(g => g.Count() > 1))
            problems.Add($"stage '{dup.Key}' is defined {dup.Count()} times");
        foreach (var dup in stages.SelectMany(s => s.Stacks.Select(k => (Stack: k, Stage: s.Name))).GroupBy(x => x.Stack).Where(g => g.Count() > 1))
            problems.Add($"stack '{dup.Key}' appears more than once (in {string.Join(", ", dup.Select(x => x.Stage))}): a stack belongs to exactly one stage, once");
        foreach (var stack in stages.SelectMany(s => s.Stacks).Distinct().Where(k => !knownStacks.Contains(k)))
            problems.Add($"unknown stack '{InputFile.Shown(stack)}': there is no Pulumi.{InputFile.Shown(stack)}.yaml (known stacks: {string.Join(", ", knownStacks)})");
        foreach (var s in stages)
            foreach (var urn in s.AllowDestructive.Where(u => Urn.StackOf(u) is not { } st || !s.Stacks.Contains(st)))
                problems.Add($"stage '{s.Name}': allowDestructive '{InputFile.Shown(urn)}' is not the URN of a resource of the stage's stacks (urn:pulumi:<stack>::<project>::<type>::<name>)");
        var names = stages.Select(s => s.Name).ToHashSet();
        foreach (var s in stages.Where(s => s.After is not null && !names.Contains(s.After)))
            problems.Add($"stage '{s.Name}' comes after unknown stage '{s.After}'");

        var ordered = new List<Stage>();
        if (problems.Count == 0)
        {
            var cycle = FindCycle(stages);
            if (cycle is not null) problems.Add($"the stages form a cycle: {string.Join(" -> ", cycle)}");
            else
            {
                var roots = stages.Where(s => s.After is null).ToList();
                if (roots.Count != 1) problems.Add($"exactly one stage must come first, found {roots.Count}: {string.Join(", ", roots.Select(r => r.Name))}");
                foreach (var branch in stages.Where(s => s.After is not null).GroupBy(s => s.After).Where(g => g.Count() > 1))
                    problems.Add($"stages {string.Join(" and ", branch.Select(b => $"'{b.Name}'"))} both come after '{branch.Key}': a rollout is one ordered chain");
                if (problems.Count == 0)
                    for (var stage = roots[0]; stage is not null; stage = stages.FirstOrDefault(s => s.After == stage.Name))
                        ordered.Add(stage);
            }
        }

        if (problems.Count > 0)
            throw new BadInputException($"{path} has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}; nothing was run:\n" +
                                        string.Join("\n", problems.Select(p => "  - " + p)), $"fix {name} (see docs/console.md, 'The rollout file')");
        return new RolloutFile(path, ordered);
    }

    private static readonly string[] StageKeys = ["name", "after", "stacks", "concurrency", "approval", "protected", "maxChanges", "allowDestructive", "checks"];

    private static List<string>? FindCycle(IReadOnlyList<Stage> stages)
    {
        foreach (var start in stages)
        {
            var seen = new List<string> { start.Name };
            for (var s = start; s.After is not null;)
            {
                var next = stages.First(x => x.Name == s.After);
                if (next.Name == start.Name) return [start.Name, .. seen.Skip(1).Reverse(), start.Name];
                if (seen.Contains(next.Name)) break;
                seen.Add(next.Name);
                s = next;
            }
        }
        return null;
    }

    private static string? Text(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;

    private static bool Bool(YamlMappingNode m, string key, string where, List<string> problems)
    {
        var t = Text(m, key);
        if (t is null) return false;
        if (t is "true" or "required") return true;
        if (t is "false") return false;
        problems.Add($"{where}: {key} must be true or false, not '{InputFile.Shown(t)}'");
        return false;
    }

    private static int Int(YamlMappingNode m, string key, int fallback, string where, List<string> problems)
    {
        var t = Text(m, key);
        if (t is null) return fallback;
        if (int.TryParse(t, out var n)) return n;
        problems.Add($"{where}: {key} must be a whole number, not '{InputFile.Shown(t)}'");
        return fallback;
    }

    private static List<string> Strings(YamlMappingNode m, string key, string where, List<string> problems)
    {
        if (!m.Children.TryGetValue(new YamlScalarNode(key), out var n)) return [];
        if (n is YamlSequenceNode seq) return seq.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? "").ToList();
        if (n is YamlScalarNode single && !string.IsNullOrEmpty(single.Value)) return [single.Value];
        problems.Add($"{where}: {key} must be a list");
        return [];
    }
}
