using Platform.Infra.Aws;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// A customer-managed KMS key of one component (KMS.3/4/5): rotated yearly, a 30-day deletion window, protected
/// (and kept on stack destroy) in protected stages, with an alias <c>alias/&lt;project&gt;-&lt;stack&gt;-&lt;component&gt;</c>.
/// </summary>
public static class CustomerKey
{
    public static Key Create(ComponentScope scope, AwsSettings aws, bool protect, string description, params PolicyStatement[] extraStatements)
    {
        var root = $"arn:{aws.Partition}:iam::{aws.AccountId}:root";
        var statements = new List<PolicyStatement>
        {
            // The default key policy AWS itself writes: the account (its IAM policies) administers and uses the key.
            // A key policy must say Resource "*" (it means "this key"), and without kms:* for the account root the
            // key becomes unmanageable (AWS KMS developer guide, "Default key policy"). No other principal is named,
            // so nobody outside the account can use the key (KMS.5).
            new()
            {
                Sid = "AccountAdministersTheKeyThroughIam",
                Actions = ["kms:*"],
                Principal = PolicyStatement.AwsPrincipal(PolicyStatement.Literal(root)),
                Resources = [PolicyStatement.Literal("*")],
            },
        };
        statements.AddRange(extraStatements);
        var key = scope.Add("key", new KeyArgs
        {
            Description = description,
            EnableKeyRotation = true,
            DeletionWindowInDays = 30,
            BypassPolicyLockoutSafetyCheck = false,
            Policy = new PolicyDocument(statements).ToJson(),
        }, ResourceOptions.Stateful(protect));
        scope.Add("key-alias", new AliasArgs { Name = $"alias/{scope.PhysicalName("key")}", TargetKeyId = key.KeyId });
        return key;
    }
}
