using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Bootstrap;

/// <summary>
/// What one AWS account needs before the platform's stacks can be delivered to it (docs/delivery.md, "The account
/// bootstrap"): its state bucket, a KMS key for the stacks' secrets (<c>awskms://</c>), the GitHub OIDC provider, and
/// the roles GitHub Actions jobs and the AWS provider assume. Built once per account by an administrator.
/// </summary>
public sealed class AccountBootstrap
{
    private AccountBootstrap(StateBackend state, CustomerKey secrets, GitHubOidc oidc, DeliveryRoles roles)
    {
        State = state;
        Secrets = secrets;
        Oidc = oidc;
        Roles = roles;
    }

    public StateBackend State { get; }

    /// <summary>The key of the stacks' secrets provider: <c>pulumi stack init --secrets-provider awskms://alias/…</c>.</summary>
    public CustomerKey Secrets { get; }

    public GitHubOidc Oidc { get; }

    public DeliveryRoles Roles { get; }

    public static AccountBootstrap Create(StackContext stack, StackSettings settings, BootstrapSettings bootstrap)
    {
        var aws = settings.Aws;
        var state = new StateBackend(stack, aws, bootstrap);
        var secrets = CustomerKey.Create(new ComponentScope(stack, ComponentNames.Secrets), "key", aws, protect: true,
            $"Encrypts the secrets in the {bootstrap.Project} stacks' config (Pulumi's awskms secrets provider).");
        stack.Template.Export(StackOutputs.SecretsProvider, Output.Format($"awskms://{secrets.Alias.Name}?region={aws.Region}"));
        var oidc = new GitHubOidc(new ComponentScope(stack, ComponentNames.GitHub), bootstrap, aws);
        var roles = new DeliveryRoles(stack, aws, bootstrap, oidc, secrets.Key, state);
        return new AccountBootstrap(state, secrets, oidc, roles);
    }
}
