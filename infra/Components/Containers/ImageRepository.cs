using Platform.Infra.Aws;
using Platform.Infra.Aws.Ecr;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// A service's ECR repository, <c>&lt;project&gt;/&lt;stack&gt;/&lt;service&gt;</c> (one per stack and service, so two stacks
/// in one account and region never share or clash on a name): scan on push (ECR.1), immutable tags (ECR.2), encrypted
/// with the service's own customer-managed key, and a lifecycle policy (ECR.3).
/// </summary>
public sealed class ImageRepository
{
    public ImageRepository(ComponentScope scope, string service, StageProfile profile, AwsSettings aws, int keepImages)
    {
        Key = CustomerKey.Create(scope, "key", aws, profile.Protect, $"Encrypts the container images of {service} in {scope.Stack.Project}/{scope.Stack.Stack}.").Key;
        Repository = scope.Add("repo", new RepositoryArgs
        {
            Name = Name(scope.Stack, service),
            ImageTagMutability = "IMMUTABLE",
            ImageScanningConfiguration = new RepositoryImageScanningConfiguration { ScanOnPush = true },
            EncryptionConfigurations = [new RepositoryEncryptionConfiguration { EncryptionType = "KMS", KmsKey = Key.Arn }],
            ForceDelete = profile.DisposableData,
        }, ResourceOptions.Stateful(profile.Protect));
        scope.Add("repo-lifecycle", new LifecyclePolicyArgs
        {
            Repository = Repository.Name,
            Policy = Input<string>.FromValue(FunctionValue.ToJson(LifecyclePolicy(keepImages))),
        });
    }

    public Key Key { get; }

    public Repository Repository { get; }

    /// <summary>The repository's name: <c>&lt;project&gt;/&lt;stack&gt;/&lt;service&gt;</c>.</summary>
    public static string Name(StackContext stack, string service) => $"{stack.Project}/{stack.Stack}/{service}";

    /// <summary>An image of this repository: <c>url@sha256:…</c> for a digest, <c>url:tag</c> for a tag.</summary>
    public Output<string> Image(string image) => Output.Format($"{Repository.RepositoryUrl}{ContainerSettings.Reference(image)}");

    /// <summary>
    /// What an execution role needs to pull from this repository. <c>ecr:GetAuthorizationToken</c> does not support
    /// resource-level permissions, so AWS requires Resource "*" (Service Authorization Reference, Amazon ECR); the
    /// token only lets the role use repositories its other statements allow, i.e. this one.
    /// </summary>
    public IReadOnlyList<PolicyStatement> GrantPull() =>
    [
        new()
        {
            Sid = "PullImage",
            Actions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resources = [Repository.Arn],
        },
        new()
        {
            Sid = "RegistryLogin",
            Actions = ["ecr:GetAuthorizationToken"],
            Resources = [PolicyStatement.Literal("*")],
        },
    ];

    /// <summary>Keep the newest <paramref name="keep"/> images; untagged ones (failed or superseded pushes) go after a day.</summary>
    private static MapValue LifecyclePolicy(int keep) => MapValue.From([new("rules", new ListValue(
    [
        Rule(1, "Expire untagged images after 1 day",
        [
            new("tagStatus", new StringValue("untagged")),
            new("countType", new StringValue("sinceImagePushed")),
            new("countUnit", new StringValue("days")),
            new("countNumber", new NumberValue(1)),
        ]),
        Rule(2, $"Keep the last {keep} images",
        [
            new("tagStatus", new StringValue("any")),
            new("countType", new StringValue("imageCountMoreThan")),
            new("countNumber", new NumberValue(keep)),
        ]),
    ]))]);

    private static MapValue Rule(int priority, string description, KeyValuePair<string, Value?>[] selection) => MapValue.From(
    [
        new("rulePriority", new NumberValue(priority)),
        new("description", new StringValue(description)),
        new("selection", MapValue.From(selection)),
        new("action", MapValue.From([new("type", new StringValue("expire"))])),
    ]);
}
