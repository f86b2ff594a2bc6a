using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>IAM and KMS controls. Policy documents are read from their <c>fn::toJSON</c> value (or literal JSON).</summary>
public static class IamKmsRules
{
    /// <summary>
    /// Identity policies the platform can emit: role policies and a role's inline policies. (Customer-managed
    /// aws:iam:Policy is not among the generated types; KMS.1 is therefore not applicable, see docs/controls.md.)
    /// </summary>
    private static IEnumerable<(Node Owner, IReadOnlyList<Statement> Statements)> IdentityPolicies(PolicyContext c)
    {
        foreach (var p in c.OfType("aws:iam:RolePolicy")) yield return (p, Statement.Of(V.Document(p["policy"])));
        foreach (var r in c.OfType("aws:iam:Role"))
            foreach (var inline in V.Items(r["inlinePolicies"]).OfType<MapValue>())
                yield return (r, Statement.Of(V.Document(inline["policy"])));
    }

    private static bool DecryptsAnyKey(Statement s) => s.Allows && s.AnyResource && (s.Grants("kms:Decrypt") || s.Grants("kms:ReEncryptFrom"));

    private static bool Foreign(PolicyContext c, string principal) =>
        principal == "*" || !c.Accounts.Any(a => principal == a || principal.Contains($"::{a}:", StringComparison.Ordinal));

    public static IEnumerable<Rule> All =>
    [
        new("IAM.1", Severity.High, "No IAM policy allows Action \"*\" on Resource \"*\"; no role gets the AdministratorAccess managed policy.", Rule.Mandatory, c =>
            IdentityPolicies(c).Where(p => p.Statements.Any(s => s.Allows && s.Actions.Contains("*") && s.AnyResource))
                .Select(p => p.Owner.Violation("grants full administrative access (Action \"*\" on Resource \"*\").", "list the actions and resources the role needs"))
                .Concat(c.OfType("aws:iam:RolePolicyAttachment").Where(a => V.Str(a["policyArn"])?.EndsWith(":policy/AdministratorAccess", StringComparison.Ordinal) == true)
                    .Select(a => a.Violation("attaches AdministratorAccess.", "attach a policy with the actions and resources the role needs")))
                .DistinctBy(v => v.Resource)),

        new("IAM.7", Severity.Medium, "An account password policy requires 14+ characters with upper, lower, numbers and symbols.", Rule.Mandatory, c =>
            c.OfType("aws:iam:AccountPasswordPolicy").Where(p => !(V.Num(p["minimumPasswordLength"]) is >= 14 && V.IsTrue(p["requireUppercaseCharacters"]) &&
                    V.IsTrue(p["requireLowercaseCharacters"]) && V.IsTrue(p["requireNumbers"]) && V.IsTrue(p["requireSymbols"])))
                .Select(p => p.Violation("is weaker than FSBP's parameters.", "set minimumPasswordLength: 14 and requireUppercaseCharacters, requireLowercaseCharacters, requireNumbers, requireSymbols: true"))),

        new("IAM.21", Severity.Low, "No IAM policy allows a whole service (\"<service>:*\") or \"*\" as an action.", Rule.Mandatory, c =>
            IdentityPolicies(c).Where(p => p.Statements.Any(s => s.Allows && s.Actions.Any(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal))))
                .Select(p => p.Owner.Violation($"allows wildcard actions ({string.Join(", ", p.Statements.Where(s => s.Allows).SelectMany(s => s.Actions).Where(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)).Distinct())}).",
                    "list the actions explicitly (grants as methods: bucket.GrantRead(role))"))
                .DistinctBy(v => v.Resource)),

        new("KMS.2", Severity.Medium, "IAM policies (aws:iam:RolePolicy, Role.inlinePolicies; aws:iam:Policy would be KMS.1) do not allow kms:Decrypt or kms:ReEncryptFrom on Resource \"*\".", Rule.Mandatory, c =>
            IdentityPolicies(c).Where(p => p.Statements.Any(DecryptsAnyKey))
                .Select(p => p.Owner.Violation("allows decrypting with every KMS key in the account.", "name the key ARNs in Resource (key.GrantDecrypt(role))"))
                .DistinctBy(v => v.Resource)),

        new("KMS.3", Severity.Critical, "In protected stages, KMS keys carry the protect or retainOnDelete option and a 30-day deletion window, so a destroy never schedules deletion.", Rule.Mandatory, c =>
            c.Profile.Protect
                ? c.OfType("aws:kms:Key").Where(k => !(k.Resource.Options.Protect == true || k.Resource.Options.RetainOnDelete == true) ||
                                                     V.Num(k["deletionWindowInDays"]) is < 30)
                    .Select(k => k.Violation("could be scheduled for deletion by a stack destroy (data encrypted with it would be lost).",
                        "create it with ResourceOptions.Stateful(protect: true) and leave deletionWindowInDays at 30"))
                : []),

        new("KMS.4", Severity.Medium, "Symmetric KMS keys rotate (enableKeyRotation true).", Rule.Mandatory, c =>
            c.OfType("aws:kms:Key").Where(k => V.Str(k["customerMasterKeySpec"]) is null or "SYMMETRIC_DEFAULT" && !V.IsTrue(k["enableKeyRotation"]))
                .Select(k => k.Violation("does not rotate its key material.", "set enableKeyRotation: true"))),

        new("KMS.5", Severity.Critical, "Key policies allow no one outside the account (no unconditional Principal \"*\"); bypassPolicyLockoutSafetyCheck is never true.", Rule.Mandatory, c =>
            c.OfType("aws:kms:Key").Where(k => V.IsTrue(k["bypassPolicyLockoutSafetyCheck"]) ||
                    Statement.Of(V.Document(k["policy"])).Any(s => s.Allows && (s.PrincipalIsAnyone && s.Condition is null || s.AwsPrincipals.Any(p => p != "*" && Foreign(c, p)))))
                .Select(k => k.Violation("its key policy lets principals outside the account use or manage the key.",
                    "limit principals to this account's root and roles; add conditions (kms:CallerAccount, kms:ViaService) for service principals"))),

        new("PLATFORM.IAM.1", Severity.High, "Role trust policies name specific principals: never \"*\" without a condition, never another account.", Rule.Mandatory, c =>
            c.OfType("aws:iam:Role").Where(r => Statement.Of(V.Document(r["assumeRolePolicy"])).Any(s => s.Allows &&
                    (s.PrincipalIsAnyone && s.Condition is null || s.AwsPrincipals.Any(p => p != "*" && Foreign(c, p)))))
                .Select(r => r.Violation("can be assumed by anyone, or by another account.", "trust a service principal (e.g. ecs-tasks.amazonaws.com) with aws:SourceAccount, or roles of this account"))),
    ];
}
