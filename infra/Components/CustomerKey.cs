using Platform.Infra.Aws;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// The one way components make a customer-managed KMS key (KMS.3/4/5): rotated yearly, a 30-day deletion window,
/// protected (and kept on stack destroy) in protected stages, with an alias <c>alias/&lt;project&gt;-&lt;stack&gt;-&lt;component&gt;-&lt;role&gt;</c>.
/// </summary>
public sealed record CustomerKey(Key Key, Alias Alias)
{
    /// <summary>
    /// The default key policy AWS itself writes: the account (its IAM policies) administers and uses the key. A key
    /// policy must say Resource "*" (it means "this key"), and without kms:* for the account root the key becomes
    /// unmanageable (AWS KMS developer guide, "Default key policy"). No other principal is named, so nobody outside
    /// the account can use the key (KMS.5).
    /// </summary>
    public static PolicyStatement AccountPolicy(AwsSettings aws) => new()
    {
        Sid = "AccountAdministersTheKeyThroughIam",
        Actions = ["kms:*"],
        Principal = AccountRoot(aws),
        Resources = [PolicyStatement.Literal("*")],
    };

    public static Value AccountRoot(AwsSettings aws) =>
        PolicyStatement.AwsPrincipal(PolicyStatement.Literal($"arn:{aws.Partition}:iam::{aws.AccountId}:root"));

    /// <param name="role">The key's role in the component (its alias is <c>&lt;role&gt;-alias</c>).</param>
    /// <param name="policy">The key policy; by default <see cref="AccountPolicy"/>.</param>
    /// <param name="region">Another region than the stack's (a KMS key is regional: it must live where what it encrypts lives).</param>
    /// <param name="keep">Keep the key when the stack is destroyed, in every stage: what it encrypts outlives the stack.</param>
    public static CustomerKey Create(ComponentScope scope, string role, AwsSettings aws, bool protect, string description, IReadOnlyList<PolicyStatement>? policy = null,
        string? region = null, bool keep = false)
    {
        var key = scope.Add(role, new KeyArgs
        {
            Description = description,
            EnableKeyRotation = true,
            DeletionWindowInDays = 30,
            Policy = new PolicyDocument(policy ?? [AccountPolicy(aws)]).ToJson(),
            Region = Input<string>.Optional(region),
        }, keep ? ResourceOptions.Kept(protect) : ResourceOptions.Stateful(protect));
        var alias = scope.Add($"{role}-alias", new AliasArgs { Name = $"alias/{scope.PhysicalName(role)}", TargetKeyId = key.KeyId, Region = Input<string>.Optional(region) });
        return new CustomerKey(key, alias);
    }
}
