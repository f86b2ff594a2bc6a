using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// One stage of the rollout as every account's bootstrap sees it: its account, the GitHub environment its deploy jobs
/// run in, and the stacks it deploys.
/// </summary>
/// <param name="Subject">The exact OIDC <c>sub</c> claim its deploy role trusts (docs/delivery.md, "Who may assume what").</param>
public sealed record BootstrapStage(string Name, string Account, string Environment, IReadOnlyList<string> Stacks, string Subject);

/// <summary>
/// The settings of a bootstrap stack (<c>platform:bootstrap</c>): what one AWS account needs before the platform's
/// stacks can be delivered to it from GitHub Actions. The same rollout (stages, accounts, environments, stacks) is
/// written into every account's bootstrap stack; each account builds its own part of it (docs/delivery.md).
/// </summary>
/// <param name="Project">The Pulumi project whose stacks the state bucket and the roles serve (Pulumi.yaml's name).</param>
/// <param name="Repository">The one GitHub repository (<c>owner/repo</c>) whose workflows may assume the roles.</param>
/// <param name="DefaultBranch">The branch scheduled drift detection runs on (the read-only roles trust it).</param>
/// <param name="CreateOidcProvider">Create the account's GitHub OIDC provider (false: the account already has one).</param>
/// <param name="StateAccount">The account whose state bucket holds the rollout's stacks.</param>
/// <param name="Stages">The rollout's stages, in promotion order.</param>
/// <param name="Operators">Roles of this account that may assume the deployer role besides the deploy jobs (people).</param>
public sealed partial record BootstrapSettings(
    string Project,
    string Repository,
    string DefaultBranch,
    bool CreateOidcProvider,
    string StateAccount,
    IReadOnlyList<BootstrapStage> Stages,
    IReadOnlyList<string> Operators)
{
    public const string Key = "platform:bootstrap";

    /// <summary>GitHub's OIDC issuer (GitHub docs, "OpenID Connect reference").</summary>
    public const string GitHubIssuer = "token.actions.githubusercontent.com";

    /// <summary>The audience configure-aws-credentials asks GitHub for, and the only client id the provider accepts.</summary>
    public const string Audience = "sts.amazonaws.com";

    /// <summary>Stack names a stage may not use: its roles' names would fall under the bootstrap's own (<c>&lt;project&gt;-ci-*</c>, <c>&lt;project&gt;-deployer</c>).</summary>
    public static readonly IReadOnlyList<string> ReservedStackNames = ["ci", "deployer"];

    /// <summary>The platform keys other than this one that a bootstrap stack refuses: it builds no network, services or database.</summary>
    private static readonly IReadOnlyList<string> PlatformOnlyKeys = ["platform:profile", "platform:network", ServiceSettings.Key, DatabaseSettings.Key, WafSettings.Key, MonitoringSettings.Key];

    /// <summary>The OIDC subjects of the read-only roles: pull requests (previews) and the default branch (scheduled drift).</summary>
    public IReadOnlyList<string> ReadOnlySubjects => [$"repo:{Repository}:pull_request", $"repo:{Repository}:ref:refs/heads/{DefaultBranch}"];

    // Role names are contracts: the stacks' aws:assumeRoles name the deployer, the workflows name the others.
    public string DeployerRoleName => $"{Project}-deployer";
    public string PreviewRoleName => $"{Project}-ci-preview";
    public string DeployRoleName(string stage) => $"{Project}-ci-deploy-{stage}";
    public string PromoteRoleName(string stage) => $"{Project}-ci-promote-{stage}";
    public string StateRoleName(string stage) => $"{Project}-ci-state-{stage}";
    public string StatePreviewRoleName => $"{Project}-ci-state-preview";

    /// <summary>An account's state bucket: <c>&lt;project&gt;-state-&lt;account&gt;-&lt;region&gt;</c>.</summary>
    public string StateBucketName(string account, string region) => $"{Project}-state-{account}-{region}";

    /// <summary>The stages whose stacks run in <paramref name="account"/>.</summary>
    public IReadOnlyList<BootstrapStage> StagesIn(string account) => Stages.Where(s => s.Account == account).ToList();

    /// <summary>The stage promoted right after <paramref name="stage"/>, or null for the last one.</summary>
    public BootstrapStage? Next(BootstrapStage stage) => Stages.SkipWhile(s => s != stage).Skip(1).FirstOrDefault();

    /// <summary>
    /// Reads the bootstrap stack's settings. Returns the stack's settings (no network, services or database; the safest
    /// stage profile, since everything here is kept), with every problem added to <paramref name="reader"/>.
    /// </summary>
    internal static StackSettings? Load(string project, string stack, ConfigReader reader, AwsSettings? aws)
    {
        foreach (var key in PlatformOnlyKeys.Where(reader.Has))
        {
            reader.String(key, required: false, "");
            reader.Add(key, "is a setting of the platform's stacks; a bootstrap stack (platform:bootstrap) builds only what the account needs to receive them.",
                $"remove it from Pulumi.{{stack}}.yaml (pulumi config rm {key} --stack {{stack}}), or remove platform:bootstrap if this is a platform stack");
        }
        var bootstrap = Read(reader, aws);
        var waivers = Waiver.Read(reader);
        reader.RejectUnknown("platform", [Key, Waiver.Key]);
        if (reader.Problems.Count > 0 || bootstrap is null) return null;
        return new StackSettings(project, stack, aws!, StageProfile.Safest, null) { Bootstrap = bootstrap, Waivers = waivers };
    }

    private static BootstrapSettings? Read(ConfigReader reader, AwsSettings? aws)
    {
        const string fix = "see docs/delivery.md, 'The account bootstrap', for a complete platform:bootstrap";
        var o = new ObjectReader(reader, Key, reader.Json(Key, required: true, fix));
        if (!o.Present) return null;
        var problems = reader.Problems.Count;

        var project = o.String("project", "platform", "platform")!;
        if (!TextRules.ResourceName().IsMatch(project))
            o.Fail("project", $"'{project}' cannot name the state bucket and roles: use 1-20 lower-case letters, digits or '-', starting with a letter (the platform project's name).",
                ConfigFix.Set(o.Path("project"), "platform"));

        var github = o.Object("github");
        var repository = github.String("repository", null, "acme/platform");
        if (repository is not null) repository = CheckRepository(github, repository);
        var branch = github.String("defaultBranch", "main", "main")!;
        if (!BranchRule().IsMatch(branch) || branch.Contains(".."))
            github.Fail("defaultBranch", $"'{branch}' is not a branch name the read-only roles can trust (letters, digits, '/', '.', '_', '-'; no wildcard).",
                ConfigFix.Set(github.Path("defaultBranch"), "main"));
        var provider = github.Choice("oidcProvider", "create", ["create", "existing"]) == "create";
        github.RejectUnknown();

        const string accountFix = "the 12-digit id, quoted so leading zeros survive";
        var stateAccount = o.String("stateAccount", null, "'333333333333'");
        if (stateAccount is not null && !TextRules.AccountId().IsMatch(stateAccount))
        {
            o.Fail("stateAccount", $"'{stateAccount}' is not a 12-digit AWS account id.", $"{ConfigFix.Set(o.Path("stateAccount"), "'333333333333'")} ({accountFix})");
            stateAccount = null;
        }

        var stages = ReadStages(reader, o, repository, accountFix);
        var operators = ReadOperators(o, aws);
        o.RejectUnknown();

        if (aws is { AllowedAccountIds.Count: > 0 } && stages is not null && stateAccount is not null)
        {
            var account = aws.AccountId;
            if (stateAccount != account && stages.All(s => s.Account != account))
                o.Fail("stages", $"no stage runs in account {account} (aws:allowedAccountIds) and it is not the state account ({stateAccount}): this bootstrap stack would build nothing.",
                    $"bootstrap the account a stage names (aws:allowedAccountIds of Pulumi.{{stack}}.yaml), or add this account's stage to {o.Path("stages")}");
            if (stateAccount != account && stages.All(s => s.Account != stateAccount))
                o.Fail("stateAccount", $"{stateAccount} is the account of no stage; the state account must be one of the rollout's accounts (its bucket holds their stacks).",
                    $"set {o.Path("stateAccount")} to the account of a stage (docs/delivery.md, 'Where the state lives')");
        }

        return reader.Problems.Count > problems || repository is null || stateAccount is null || stages is null
            ? null
            : new BootstrapSettings(project, repository, branch, provider, stateAccount, stages, operators);
    }

    /// <summary>Exactly one repository: <c>owner/repo</c> as GitHub spells it, no wildcard, no URL.</summary>
    private static string? CheckRepository(ObjectReader github, string repository)
    {
        var fix = $"{ConfigFix.Set(github.Path("repository"), "<owner>/<repo>")} (this repository, as in https://github.com/<owner>/<repo>)";
        if (repository.IndexOfAny(['*', '?', '[']) >= 0)
        {
            github.Fail("repository", $"'{repository}' is a pattern: the roles would trust every repository it matches (and their forks' maintainers).", fix);
            return null;
        }
        var match = RepositoryRule().Match(repository);
        if (!match.Success || match.Groups["repo"].Value is "." or "..")
        {
            github.Fail("repository", $"'{repository}' is not a GitHub repository as owner/repo (owner: letters, digits and '-'; repo: letters, digits, '.', '_' and '-').", fix);
            return null;
        }
        return repository;
    }

    private static IReadOnlyList<BootstrapStage>? ReadStages(ConfigReader reader, ObjectReader o, string? repository, string accountFix)
    {
        const string example = "[{name: dev, account: '111111111111', environment: dev, stacks: [dev]}]";
        var list = o.Element("stages");
        if (list is not { ValueKind: JsonValueKind.Array } || list.Value.GetArrayLength() == 0)
        {
            o.Fail("stages", "must list the rollout's stages in promotion order, each with its account, GitHub environment and stacks.",
                $"write {o.Path("stages")} in Pulumi.{{stack}}.yaml as {example}");
            return null;
        }

        var stages = new List<BootstrapStage>();
        var seen = new List<(string What, string Value)>();
        var ok = true;
        var index = 0;
        foreach (var item in list.Value.EnumerateArray())
        {
            var s = new ObjectReader(reader, $"{o.Path("stages")}[{index++}]", item);
            if (!s.Present)
            {
                ok = false;
                continue;
            }
            var name = s.String("name", null, "dev");
            if (name is not null && !TextRules.ResourceName().IsMatch(name))
            {
                s.Fail("name", $"'{name}' is not a stage name: use 1-20 lower-case letters, digits or '-', starting with a letter (as in rollout.yaml).", $"rename it in Pulumi.{{stack}}.yaml");
                name = null;
            }
            var account = s.String("account", null, "'111111111111'");
            if (account is not null && !TextRules.AccountId().IsMatch(account))
            {
                s.Fail("account", $"stage '{name}': '{account}' is not a 12-digit AWS account id.", $"set {s.Path("account")} in Pulumi.{{stack}}.yaml ({accountFix})");
                account = null;
            }
            var environment = s.String("environment", "", "dev") ?? "";
            if (environment.Length == 0)
            {
                s.Fail("environment", $"stage '{name}' has no GitHub environment: its deploy role would trust any job of the repository, and a job that names no environment skips the environment's protection rules (required reviewers).",
                    $"{ConfigFix.Set(s.Path("environment"), name ?? "dev")} (the environment of repository settings > Environments)");
                environment = null;
            }
            else if (environment.IndexOfAny(['*', '?', '[']) >= 0 || !EnvironmentRule().IsMatch(environment))
            {
                s.Fail("environment", $"stage '{name}': '{environment}' is not a GitHub environment name the trust can match exactly (letters, digits, ' ', '.', '_' and '-'; no wildcard, no ':').",
                    ConfigFix.Set(s.Path("environment"), name ?? "dev"));
                environment = null;
            }
            var stacks = s.Strings("stacks", "[dev]") ?? [];
            if (stacks.Count == 0) s.Fail("stacks", $"stage '{name}' deploys no stack.", $"list its stacks (as in rollout.yaml) under {s.Path("stacks")}");
            foreach (var stack in stacks.Where(k => !TextRules.ResourceName().IsMatch(k) || ReservedStackNames.Contains(k)))
                s.Fail("stacks", $"stage '{name}': '{stack}' is not a stack name the roles can be scoped to (1-20 lower-case letters, digits or '-', not {string.Join(" or ", ReservedStackNames)}).",
                    "rename the stack (pulumi stack rename) and list it here");

            string? subject = null;
            var custom = s.Element("subject");
            if (custom is { ValueKind: not JsonValueKind.String })
                s.Fail("subject", "must be a string: the exact OIDC sub claim.", $"remove {s.Path("subject")} to trust repo:<owner>/<repo>:environment:<environment>");
            else if (repository is not null && environment is not null)
                subject = custom is { } c ? CheckSubject(s, c.GetString()!, repository, environment) : $"repo:{repository}:environment:{environment}";
            s.RejectUnknown();
            seen.AddRange([.. new[] { ("stage", name), ("GitHub environment", environment?.ToLowerInvariant()) }.Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!)),
                .. stacks.Select(k => ("stack", k))]);
            if (name is null || account is null || environment is null || subject is null || stacks.Count == 0) ok = false;
            else stages.Add(new BootstrapStage(name, account, environment, stacks, subject));
        }

        foreach (var twice in seen.GroupBy(x => x).Where(g => g.Count() > 1))
        {
            o.Fail("stages", $"the {twice.Key.What} '{twice.Key.Value}' appears in more than one stage{(twice.Key.What == "GitHub environment" ? " (GitHub environment names ignore case)" : "")}.",
                $"give each stage its own {twice.Key.What}");
            ok = false;
        }
        return ok ? stages : null;
    }

    /// <summary>
    /// A stage's explicit <c>subject</c>, for repositories whose OIDC subject template was customised (GitHub docs,
    /// "Customizing the subject claims"): still this repository, still this stage's environment, never a pattern.
    /// </summary>
    private static string? CheckSubject(ObjectReader s, string subject, string repository, string environment)
    {
        var fix = $"remove {s.Path("subject")} (the default is repo:{repository}:environment:{environment}) or make it the exact sub claim of this repository's {environment} jobs";
        if (subject.IndexOfAny(['*', '?', '[']) >= 0)
            s.Fail("subject", $"'{subject}' is a pattern: the deploy role must trust one exact subject.", fix);
        else if (!subject.StartsWith($"repo:{repository}:", StringComparison.Ordinal))
            s.Fail("subject", $"'{subject}' trusts another repository than {repository} (platform:bootstrap.github.repository).", fix);
        else if (!$"{subject}:".Contains($":environment:{environment}:", StringComparison.Ordinal))
            s.Fail("subject", $"'{subject}' has no environment claim for '{environment}': a deploy role trusts only jobs that run in the stage's environment.", fix);
        else return subject;
        return null;
    }

    private static IReadOnlyList<string> ReadOperators(ObjectReader o, AwsSettings? aws)
    {
        var operators = o.Strings("operators", "['arn:aws:iam::111111111111:role/Admin']") ?? [];
        var valid = new List<string>();
        foreach (var arn in operators)
        {
            var match = TextRules.RoleArn().Match(arn);
            if (!match.Success)
                o.Fail("operators", $"'{arn}' is not an IAM role ARN like arn:aws:iam::111111111111:role/Admin.", "list the roles people use to deploy by hand (IAM Identity Center roles included)");
            else if (aws is { AllowedAccountIds.Count: > 0 } && !aws.AllowedAccountIds.Contains(match.Groups["account"].Value))
                o.Fail("operators", $"'{arn}' is a role in account {match.Groups["account"].Value}, which aws:allowedAccountIds does not allow ({string.Join(", ", aws.AllowedAccountIds)}): the deployer role trusts roles of its own account only.",
                    "name a role of this account (people of other accounts sign in to this one first)");
            else valid.Add(arn);
        }
        return valid;
    }

    /// <summary>
    /// The settings plugin discovery compiles: one stage in the discovery account, which is also the state account, so
    /// that every resource type of a bootstrap appears.
    /// </summary>
    public static BootstrapSettings Discovery(string account) => new("platform", "owner/repository", "main", true, account,
        [new BootstrapStage("discovery", account, "discovery", ["discovery"], "repo:owner/repository:environment:discovery"),
         new BootstrapStage("next", "000000000001", "next", ["next"], "repo:owner/repository:environment:next")], []);

    // Owner: GitHub user and organization names (39 characters at most); repository: up to 100 characters.
    [GeneratedRegex("^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)/(?<repo>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex RepositoryRule();

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,255}$")]
    private static partial Regex BranchRule();

    [GeneratedRegex("^[A-Za-z0-9._ -]{1,255}$")]
    private static partial Regex EnvironmentRule();
}
