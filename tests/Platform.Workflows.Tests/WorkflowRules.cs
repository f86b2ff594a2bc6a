using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Platform.Workflows.Tests;

/// <summary>One broken hardening rule: which, where (workflow, job, step) and what to do.</summary>
public sealed record Violation(string Rule, string Where, string Problem)
{
    public override string ToString() => $"{Where}: [{Rule}] {Problem}";
}

/// <summary>
/// The hardening rules of the repository's GitHub Actions workflows (docs/delivery.md, "Workflow hardening"), checked
/// on the parsed YAML of a workflow and of the local composite actions it uses:
/// <list type="bullet">
/// <item><c>pin</c>: every action outside the repository is pinned to a full 40-hex commit SHA;</item>
/// <item><c>trigger</c>: no <c>pull_request_target</c> (it runs with the base repository's secrets on a fork's code);</item>
/// <item><c>permissions</c>: the workflow grants nothing at the top (<c>permissions: {}</c>), every job names its own,
/// and a job writes only <c>id-token</c> (when it assumes a role) and <c>pull-requests</c> (when it comments);</item>
/// <item><c>id-token</c>: <c>id-token: write</c> only in a job that assumes a role, and every such job has it;</item>
/// <item><c>oidc</c>: credentials only through OIDC: a role to assume, never access keys;</item>
/// <item><c>account</c>: every credentials step names <c>allowed-account-ids</c>, the account of its role;</item>
/// <item><c>environment</c>: a role of a stage (<c>platform-ci-deploy|state|promote-&lt;stage&gt;</c>) only in a job
/// that runs in that stage's GitHub environment (the role trusts no other OIDC subject);</item>
/// <item><c>approval</c>: <c>--approve &lt;stage&gt;</c> only in a job that runs in that stage's environment, whose
/// required reviewers are the approval;</item>
/// <item><c>concurrency</c>: a workflow that promotes runs one at a time and never cancels a running promotion;</item>
/// <item><c>secrets</c>: no <c>${{ secrets.* }}</c>, <c>${{ github.event.* }}</c> or <c>${{ github.head_ref }}</c>
/// inside a script (they are pasted into its text: a leaked value, or script injection);</item>
/// <item><c>checkout</c>: actions/checkout keeps no token on disk (<c>persist-credentials: false</c>).</item>
/// </list>
/// </summary>
public static partial class WorkflowRules
{
    public const string CredentialsAction = "aws-actions/configure-aws-credentials";

    /// <summary>The rules of <paramref name="workflowPath"/>; local actions (<c>./…</c>) are read from <paramref name="repoRoot"/>.</summary>
    public static IReadOnlyList<Violation> Check(string workflowPath, string repoRoot)
    {
        var name = Path.GetFileName(workflowPath);
        var root = Load(workflowPath);
        var violations = new List<Violation>();
        void Add(string rule, string where, string problem) => violations.Add(new Violation(rule, where, problem));

        if (Node(root, "on") is { } on && Keys(on).Contains("pull_request_target") || Scalar(Node(root, "on")) == "pull_request_target")
            Add("trigger", name, "is triggered by pull_request_target, which runs with this repository's secrets and write token for a fork's pull request; use pull_request.");

        var top = Node(root, "permissions");
        if (top is null || top is not YamlMappingNode { Children.Count: 0 })
            Add("permissions", name, "must grant nothing at the top (permissions: {}); each job names what it needs.");

        var promotes = false;
        foreach (var (jobName, jobNode) in Map(Node(root, "jobs")))
        {
            var job = (YamlMappingNode)jobNode;
            var where = $"{name}: job {jobName}";
            var environment = Node(job, "environment") is YamlMappingNode env ? Scalar(Node(env, "name")) : Scalar(Node(job, "environment"));
            var steps = Steps(job, repoRoot).ToList();
            var assumes = steps.Any(s => IsCredentials(s.Step));

            var permissions = Node(job, "permissions");
            if (permissions is null)
                Add("permissions", where, "names no permissions (it would inherit the workflow's); list the few it needs, e.g. contents: read.");
            else if (permissions is YamlScalarNode all)
                Add("permissions", where, $"grants '{all.Value}'; list each permission it needs instead.");
            foreach (var (scope, level) in Map(permissions).Select(p => (p.Key, Scalar(p.Value))))
            {
                if (level != "write") continue;
                if (scope == "id-token")
                {
                    if (!assumes) Add("id-token", where, "has id-token: write but assumes no AWS role; remove it.");
                }
                else if (scope == "pull-requests" && steps.Any(s => Run(s.Step).Contains("gh pr comment", StringComparison.Ordinal))) { }
                else Add("permissions", where, $"grants {scope}: write, which no step of it needs; read is enough.");
            }
            if (assumes && Scalar(Node(permissions, "id-token")) != "write")
                Add("id-token", where, "assumes an AWS role but lacks id-token: write (OIDC needs it).");

            foreach (var (step, source) in steps)
            {
                var at = $"{where}, step {StepName(step)}{(source is null ? "" : $" (in {source})")}";
                var uses = Scalar(Node(step, "uses"));
                var run = Run(step);
                if (uses is not null && source is null) CheckPin(uses, at, Add);
                if (uses?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true && Scalar(Node(Node(step, "with"), "persist-credentials")) != "false")
                    Add("checkout", at, "keeps the job's token in .git/config; set with: persist-credentials: false.");
                if (IsCredentials(step)) CheckCredentials(step, at, environment, Add);
                if (Scalar(Node(Node(step, "with"), "role")) is { } role && uses?.StartsWith("./", StringComparison.Ordinal) == true)
                    CheckStageRole(role, at, environment, Add);
                foreach (var key in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY" })
                    if (Scalar(Node(Node(step, "env"), key)) is not null || Scalar(Node(Node(job, "env"), key)) is not null || Scalar(Node(Node(root, "env"), key)) is not null)
                        Add("oidc", at, $"sets {key}: long-lived keys; assume a role through OIDC instead.");
                foreach (Match m in UnsafeExpression().Matches(run))
                    Add("secrets", at, $"pastes {m.Value} into its script; pass it through env: and use \"$NAME\".");
                if (run.Contains(" promote", StringComparison.Ordinal)) promotes = true;
                foreach (Match m in Approve().Matches(run))
                    if (m.Groups["stage"].Value != environment)
                        Add("approval", at, $"approves stage '{m.Groups["stage"].Value}' in a job {(environment is null ? "without an environment" : $"of environment '{environment}'")}: run it in environment '{m.Groups["stage"].Value}', whose required reviewers are the approval.");
            }
        }

        if (promotes && (Node(root, "concurrency") is not YamlMappingNode c || Scalar(Node(c, "group")) is null || Scalar(Node(c, "cancel-in-progress")) != "false"))
            Add("concurrency", name, "promotes without concurrency: {group: ..., cancel-in-progress: false}; two promotions could run at once, or one be cancelled half-way.");
        return violations;
    }

    /// <summary>The pins of a local composite action's own steps.</summary>
    public static IReadOnlyList<Violation> CheckAction(string actionPath)
    {
        var violations = new List<Violation>();
        var where = Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(actionPath)!)!)!, actionPath);
        foreach (var step in Sequence(Node(Node(Load(actionPath), "runs"), "steps")).OfType<YamlMappingNode>())
            if (Scalar(Node(step, "uses")) is { } uses)
                CheckPin(uses, $"{where}, step {StepName(step)}", (r, w, p) => violations.Add(new Violation(r, w, p)));
        return violations;
    }

    private static void CheckPin(string uses, string at, Action<string, string, string> add)
    {
        if (uses.StartsWith("./", StringComparison.Ordinal)) return;
        if (uses.StartsWith("docker://", StringComparison.Ordinal))
        {
            if (!uses.Contains("@sha256:", StringComparison.Ordinal)) add("pin", at, $"'{uses}' is a container image by tag; pin it by digest (@sha256:...).");
            return;
        }
        var at_ = uses.LastIndexOf('@');
        if (at_ < 0 || !CommitRule().IsMatch(uses[(at_ + 1)..]))
            add("pin", at, $"'{uses}' is not pinned to a full commit SHA: a tag or branch can be moved to other code; use owner/repo@<40 hex> # vX.Y.Z.");
    }

    private static void CheckCredentials(YamlMappingNode step, string at, string? environment, Action<string, string, string> add)
    {
        var with = Node(step, "with");
        foreach (var key in new[] { "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "web-identity-token-file" })
            if (Node(with, key) is not null) add("oidc", at, $"passes {key}: credentials only through GitHub OIDC (role-to-assume, no keys).");
        var role = Scalar(Node(with, "role-to-assume"));
        if (role is null)
        {
            add("oidc", at, "names no role-to-assume: credentials only through GitHub OIDC.");
            return;
        }
        var allowed = Scalar(Node(with, "allowed-account-ids"));
        var arn = RoleArnRule().Match(role);
        if (allowed is null) add("account", at, "has no allowed-account-ids: the credentials would be used in whatever account the role is in.");
        else if (!arn.Success || arn.Groups["account"].Value.Trim() != allowed.Trim())
            add("account", at, $"assumes {role} but allows account {allowed}: the role must be in the allowed account.");
        if (arn.Success) CheckStageRole(arn.Groups["name"].Value, at, environment, add);
    }

    private static void CheckStageRole(string role, string at, string? environment, Action<string, string, string> add)
    {
        var m = StageRoleRule().Match(role);
        if (m.Success && m.Groups["stage"].Value != environment)
            add("environment", at, $"assumes {role}, a role of stage '{m.Groups["stage"].Value}', in a job {(environment is null ? "without an environment" : $"of environment '{environment}'")}: it trusts only jobs of environment '{m.Groups["stage"].Value}'.");
    }

    private static bool IsCredentials(YamlMappingNode step) => Scalar(Node(step, "uses"))?.StartsWith(CredentialsAction + "@", StringComparison.Ordinal) == true;

    /// <summary>A job's steps, with the steps of the local composite actions it uses (and which action they come from).</summary>
    private static IEnumerable<(YamlMappingNode Step, string? Source)> Steps(YamlMappingNode job, string repoRoot)
    {
        foreach (var step in Sequence(Node(job, "steps")).OfType<YamlMappingNode>())
        {
            yield return (step, null);
            if (Scalar(Node(step, "uses")) is { } uses && uses.StartsWith("./", StringComparison.Ordinal))
            {
                var path = Path.Combine(repoRoot, uses[2..], "action.yml");
                if (!File.Exists(path)) continue;
                foreach (var inner in Sequence(Node(Node(Load(path), "runs"), "steps")).OfType<YamlMappingNode>())
                    yield return (inner, uses);
            }
        }
    }

    private static string StepName(YamlMappingNode step) => Scalar(Node(step, "name")) ?? Scalar(Node(step, "uses")) ?? Run(step).Split('\n')[0];

    private static string Run(YamlMappingNode step) => Scalar(Node(step, "run")) ?? "";

    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Node(YamlNode? map, string key) =>
        map is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<string> Keys(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""),
        YamlSequenceNode s => s.Children.OfType<YamlScalarNode>().Select(k => k.Value ?? ""),
        _ => [],
    };

    private static IEnumerable<(string Key, YamlNode Value)> Map(YamlNode? node) =>
        node is YamlMappingNode m ? m.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", c.Value)) : [];

    private static IEnumerable<YamlNode> Sequence(YamlNode? node) => node is YamlSequenceNode s ? s.Children : [];

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitRule();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::(?<account>[^:]+):role/(?<name>.+)$")]
    private static partial Regex RoleArnRule();

    [GeneratedRegex(@"^platform-ci-(?:deploy|state|promote)-(?<stage>(?!preview$)[a-z0-9-]+)$")]
    private static partial Regex StageRoleRule();

    [GeneratedRegex(@"\$\{\{\s*(?:secrets\.|github\.event\.|github\.head_ref)[^}]*\}\}")]
    private static partial Regex UnsafeExpression();

    [GeneratedRegex(@"--approve[ =](?<stage>[A-Za-z0-9_-]+)")]
    private static partial Regex Approve();
}
