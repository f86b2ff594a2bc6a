using Platform.Infra.Aws;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Bootstrap;

/// <summary>
/// The roles of one account (docs/delivery.md, "Who may assume what"). GitHub Actions jobs assume the <c>ci-*</c> roles
/// through OIDC, each for exactly one subject of one repository; only the deploy roles (and the operators) may assume
/// the deployer, the role the stacks' <c>aws:assumeRoles</c> name and the AWS provider works as.
/// </summary>
public sealed class DeliveryRoles
{
    /// <summary>What a read-only role must not read although ReadOnlyAccess allows it: data, not configuration.</summary>
    public static readonly IReadOnlyList<string> DataReads =
    [
        "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
        "logs:FilterLogEvents", "logs:GetLogEvents", "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue",
        "sqs:ReceiveMessage", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
    ];

    /// <summary>What pushing an image to a repository needs, and reading its digest and scan findings back (ECR user guide, "Pushing an image").</summary>
    public static readonly IReadOnlyList<string> PushImage =
    [
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImageScanFindings", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
    ];

    /// <summary>What pulling an image by digest needs, and finding it.</summary>
    public static readonly IReadOnlyList<string> PullImage = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer"];

    /// <summary>What the deployer may do to the roles of the stacks it deploys (and only to those).</summary>
    public static readonly IReadOnlyList<string> ManageRoles =
    [
        "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:PassRole", "iam:PutRolePolicy", "iam:TagRole",
        "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
    ];

    private readonly ComponentScope _scope;
    private readonly AwsSettings _aws;
    private readonly BootstrapSettings _bootstrap;
    private readonly GitHubOidc _oidc;

    public DeliveryRoles(StackContext stack, AwsSettings aws, BootstrapSettings bootstrap, GitHubOidc oidc, Key secrets, StateBackend state)
    {
        _scope = new ComponentScope(stack, ComponentNames.Ci);
        _aws = aws;
        _bootstrap = bootstrap;
        _oidc = oidc;
        var template = stack.Template;
        var stages = bootstrap.StagesIn(aws.AccountId);

        // Pull requests and scheduled drift: reads the account's configuration (not its data) and decrypts the stacks'
        // secrets, which a preview needs; it cannot assume the deployer.
        var preview = Role("preview", bootstrap.PreviewRoleName, $"GitHub Actions of {bootstrap.Repository}: previews of pull requests and drift on {bootstrap.DefaultBranch}; read only.",
            bootstrap.ReadOnlySubjects);
        Attach("preview-read-only", preview, "ReadOnlyAccess");
        Policy("preview", preview,
            Decrypt("DecryptStackSecrets", secrets, "kms:Decrypt"),
            new PolicyStatement { Sid = "NoDataReads", Effect = "Deny", Actions = DataReads, Resources = [PolicyStatement.Literal("*")] });
        template.Export(StackOutputs.PreviewRoleArn, preview.Arn);

        var deploys = new List<Role>();
        foreach (var stage in stages)
        {
            var deploy = Role($"deploy-{stage.Name}", bootstrap.DeployRoleName(stage.Name),
                $"GitHub Actions of {bootstrap.Repository} in environment {stage.Environment}: deploys stage {stage.Name} as the deployer.", [stage.Subject]);
            deploys.Add(deploy);
            Policy($"deploy-{stage.Name}", deploy,
                new PolicyStatement { Sid = "ActAsDeployer", Actions = ["sts:AssumeRole"], Resources = [PolicyStatement.Literal(DeployerArn)] },
                Decrypt("StackSecrets", secrets, "kms:Decrypt", "kms:Encrypt"),
                new PolicyStatement { Sid = "PushImages", Actions = PushImage, Resources = Repositories(stage) },
                RegistryLogin());
            template.Export(StackOutputs.DeployRoleArn(stage.Name), deploy.Arn);

            // The next stage's deploy jobs copy the images this stage ran into their own account's repositories.
            if (bootstrap.Next(stage) is { } next)
            {
                var promote = Role($"promote-{next.Name}", bootstrap.PromoteRoleName(next.Name),
                    $"GitHub Actions of {bootstrap.Repository} in environment {next.Environment}: reads the images stage {stage.Name} ran, to promote them to {next.Name}.", [next.Subject]);
                Policy($"promote-{next.Name}", promote,
                    new PolicyStatement { Sid = "PullImages", Actions = PullImage, Resources = Repositories(stage) },
                    RegistryLogin());
                template.Export(StackOutputs.PromoteRoleArn(next.Name), promote.Arn);
            }
        }

        if (bootstrap.StateAccount == aws.AccountId)
        {
            // The rollout's state: each stage's jobs write their own stacks and read the others (the previous stage's
            // ledger above all); previews and drift only read, and lock while they run.
            foreach (var stage in bootstrap.Stages)
            {
                var role = Role($"state-{stage.Name}", bootstrap.StateRoleName(stage.Name),
                    $"GitHub Actions of {bootstrap.Repository} in environment {stage.Environment}: the state of stage {stage.Name}'s stacks.", [stage.Subject]);
                Policy($"state-{stage.Name}", role, [state.List(), .. state.Read(), .. state.Write(bootstrap.Project, stage.Stacks)]);
                template.Export(StackOutputs.StateRoleArn(stage.Name), role.Arn);
            }
            var reader = Role("state-preview", bootstrap.StatePreviewRoleName,
                $"GitHub Actions of {bootstrap.Repository}: reads the rollout's state for previews and drift.", bootstrap.ReadOnlySubjects);
            Policy("state-preview", reader, [state.List(), .. state.Read(), .. state.Lock(bootstrap.Project)]);
            template.Export(StackOutputs.StatePreviewRoleArn, reader.Arn);
        }

        if (stages.Count == 0) return;
        Deployer = CreateDeployer(stack, stages, deploys, secrets, state);
        template.Export(StackOutputs.DeployerRoleArn, Deployer.Arn);
    }

    /// <summary>The deployer; null in an account that only holds the rollout's state.</summary>
    public Role? Deployer { get; }

    private string DeployerArn => $"arn:{_aws.Partition}:iam::{_aws.AccountId}:role/{_bootstrap.DeployerRoleName}";

    /// <summary>
    /// The deployer: what the stacks' <c>aws:assumeRoles</c> name. A documented, bounded policy rather than least
    /// privilege (the platform's footprint spans some twenty services): PowerUserAccess (everything but IAM,
    /// Organizations and Account), IAM only on the roles of its own stacks (<c>&lt;project&gt;-&lt;stack&gt;-*</c>), and
    /// explicit denies on what the bootstrap built (the state, the keys, the delivery roles, the OIDC provider).
    /// </summary>
    private Role CreateDeployer(StackContext stack, IReadOnlyList<BootstrapStage> stages, IReadOnlyList<Role> deploys, Key secrets, StateBackend state)
    {
        var scope = new ComponentScope(stack, ComponentNames.Deployer);
        IReadOnlyList<Output<string>> trusted = [.. deploys.Select(d => d.Arn), .. _bootstrap.Operators.Select(PolicyStatement.Literal)];
        var trust = new PolicyDocument(new PolicyStatement
        {
            Sid = "DeployJobsAndOperators",
            Actions = ["sts:AssumeRole"],
            Principal = MapValue.From([new("AWS", new ListValue(trusted.Select(t => t.Expression).ToArray()))]),
        });
        var deployer = scope.Add("role", new RoleArgs
        {
            Name = _bootstrap.DeployerRoleName,
            Description = $"Deploys the {_bootstrap.Project} stacks of this account ({string.Join(", ", stages.SelectMany(s => s.Stacks))}); assumed by their deploy jobs and operators.",
            AssumeRolePolicy = trust.ToJson(),
            MaxSessionDuration = 3600,
        });
        scope.Add("power-user", new RolePolicyAttachmentArgs { Role = deployer.Name, PolicyArn = ManagedPolicy("PowerUserAccess") });
        var account = $"arn:{_aws.Partition}:iam::{_aws.AccountId}";
        IReadOnlyList<Output<string>> bootstrapped =
        [
            PolicyStatement.Literal($"{account}:role/{_bootstrap.Project}-ci-*"),
            PolicyStatement.Literal(DeployerArn),
            _oidc.ProviderArn,
        ];
        scope.Add("policy", new RolePolicyArgs
        {
            Role = deployer.Id,
            Policy = new PolicyDocument(
                new PolicyStatement
                {
                    Sid = "ManageOwnStacksRoles",
                    Actions = ManageRoles,
                    Resources = [.. stages.SelectMany(s => s.Stacks).Select(s => PolicyStatement.Literal($"{account}:role/{_bootstrap.Project}-{s}-*"))],
                },
                new PolicyStatement { Sid = "KeepOffTheBootstrapRoles", Effect = "Deny", Actions = ["iam:*"], Resources = bootstrapped },
                new PolicyStatement
                {
                    Sid = "KeepOffTheState",
                    Effect = "Deny",
                    Actions = ["s3:*"],
                    Resources = [state.Bucket.Arn, state.Bucket.Objects, state.Logs.Bucket.Arn, state.Logs.Bucket.Objects],
                },
                new PolicyStatement { Sid = "KeepOffTheBootstrapKeys", Effect = "Deny", Actions = ["kms:*"], Resources = [state.Key.Arn, secrets.Arn] }).ToJson(),
        });
        return deployer;
    }

    private Role Role(string role, string name, string description, IReadOnlyList<string> subjects) => _scope.Add($"{role}-role", new RoleArgs
    {
        Name = name,
        Description = description,
        AssumeRolePolicy = _oidc.Trust(subjects).ToJson(),
        MaxSessionDuration = 3600,
    });

    private void Policy(string role, Role owner, params PolicyStatement[] statements) =>
        _scope.Add($"{role}-policy", new RolePolicyArgs { Role = owner.Id, Policy = new PolicyDocument(statements).ToJson() });

    private void Attach(string role, Role owner, string managedPolicy) =>
        _scope.Add(role, new RolePolicyAttachmentArgs { Role = owner.Name, PolicyArn = ManagedPolicy(managedPolicy) });

    private string ManagedPolicy(string name) => $"arn:{_aws.Partition}:iam::aws:policy/{name}";

    /// <summary>The ECR repositories of a stage's stacks: <c>&lt;project&gt;/&lt;stack&gt;/*</c> (one per service, made by the stack).</summary>
    private IReadOnlyList<Output<string>> Repositories(BootstrapStage stage) =>
        [.. stage.Stacks.Select(s => PolicyStatement.Literal($"arn:{_aws.Partition}:ecr:{_aws.Region}:{_aws.AccountId}:repository/{_bootstrap.Project}/{s}/*"))];

    /// <summary>ecr:GetAuthorizationToken has no resource-level permissions: AWS requires Resource "*" (Service Authorization Reference, Amazon ECR).</summary>
    private static PolicyStatement RegistryLogin() => new() { Sid = "RegistryLogin", Actions = ["ecr:GetAuthorizationToken"], Resources = [PolicyStatement.Literal("*")] };

    private static PolicyStatement Decrypt(string sid, Key key, params string[] actions) => new() { Sid = sid, Actions = actions, Resources = [key.Arn] };
}
