using Platform.Infra.Aws;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Bootstrap;

/// <summary>
/// The account's IAM OIDC identity provider for GitHub Actions (<c>https://token.actions.githubusercontent.com</c>,
/// audience <c>sts.amazonaws.com</c>), and the trust policy of every role a workflow assumes through it. No thumbprint:
/// IAM validates GitHub's certificate against its library of trusted root CAs and ignores thumbprints for it (IAM API
/// reference, UpdateOpenIDConnectProviderThumbprint), and <c>thumbprintLists</c> is optional in @pulumi/aws 7.
/// An account has one provider per issuer: with <c>github.oidcProvider: existing</c> the roles trust the one it has.
/// </summary>
public sealed class GitHubOidc
{
    public GitHubOidc(ComponentScope scope, BootstrapSettings bootstrap, AwsSettings aws)
    {
        if (bootstrap.CreateOidcProvider)
        {
            Provider = scope.Add("provider", new OpenIdConnectProviderArgs
            {
                Url = $"https://{BootstrapSettings.GitHubIssuer}",
                ClientIdLists = [BootstrapSettings.Audience],
            });
            ProviderArn = Provider.Arn;
        }
        else ProviderArn = PolicyStatement.Literal($"arn:{aws.Partition}:iam::{aws.AccountId}:oidc-provider/{BootstrapSettings.GitHubIssuer}");
        scope.Stack.Template.Export(StackOutputs.OidcProviderArn, ProviderArn);
    }

    /// <summary>The provider this bootstrap created; null when the account's existing one is used.</summary>
    public OpenIdConnectProvider? Provider { get; }

    public Output<string> ProviderArn { get; }

    /// <summary>
    /// Trust for workflow jobs whose token has exactly one of <paramref name="subjects"/> as <c>sub</c> and
    /// <c>sts.amazonaws.com</c> as <c>aud</c>; StringEquals, never StringLike, so no subject is a pattern (IAM user
    /// guide, "Configuring a role for GitHub OIDC identity provider"; GitHub docs, "OpenID Connect reference").
    /// </summary>
    public PolicyDocument Trust(IReadOnlyList<string> subjects) => new(new PolicyStatement
    {
        Sid = "GitHubActionsJobs",
        Actions = ["sts:AssumeRoleWithWebIdentity"],
        Principal = MapValue.From([new("Federated", ProviderArn.Expression)]),
        Conditions = PolicyStatement.Condition(
        [
            ("StringEquals", $"{BootstrapSettings.GitHubIssuer}:aud", PolicyStatement.Literal(BootstrapSettings.Audience)),
            .. subjects.Select(s => ("StringEquals", $"{BootstrapSettings.GitHubIssuer}:sub", PolicyStatement.Literal(s))),
        ]),
    });
}
