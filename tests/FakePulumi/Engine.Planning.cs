using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakePulumi;

/// <summary>The engine, planning: the diff of the compiled template against the state, and the provider's account check.</summary>
public sealed partial class Engine
{
    /// <summary>Properties whose change forces a replacement (a small table of the real provider's ForceNew inputs).</summary>
    private static readonly Dictionary<string, string[]> ReplaceKeys = new(StringComparer.Ordinal)
    {
        ["aws:ec2/vpc:Vpc"] = ["cidrBlock"],
        ["aws:ec2/subnet:Subnet"] = ["cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId"],
        ["aws:ec2/natGateway:NatGateway"] = ["subnetId", "allocationId", "connectivityType"],
        ["aws:ec2/eip:Eip"] = ["domain"],
        ["aws:ec2/internetGateway:InternetGateway"] = [],
        ["aws:rds/instance:Instance"] = ["engine", "identifier", "dbName", "storageEncrypted", "kmsKeyId", "username", "availabilityZone"],
        ["aws:rds/subnetGroup:SubnetGroup"] = ["name"],
        ["aws:s3/bucket:Bucket"] = ["bucket", "bucketPrefix", "objectLockEnabled"],
        ["aws:kms/key:Key"] = ["customerMasterKeySpec", "keyUsage"],
        ["aws:cloudwatch/logGroup:LogGroup"] = ["name", "namePrefix"],
        ["aws:sqs/queue:Queue"] = ["name", "fifoQueue"],
        ["aws:ecr/repository:Repository"] = ["name"],
        ["aws:secretsmanager/secret:Secret"] = ["name"],
        ["aws:iam/role:Role"] = ["name"],
    };

    private (List<Step> Steps, CompiledTemplate Template, (Dictionary<string, string> Values, HashSet<string> Secrets) Config) Plan()
    {
        Cli.RequirePassphrase();
        // GetRequiredPackages: the compiler runs once with no stack variables (plugin discovery); it must succeed.
        Project.ParseTemplate(Project.RunCompiler(null, null));
        var config = Project.Config(stack);
        var template = Project.ParseTemplate(Project.RunCompiler(stack, config.Values));
        CheckAccount(config.Values);
        if (_faults.SlowMs > 0) Sleep(_faults.SlowMs);
        if (cli.Interrupted) throw new FakeError("error: preview canceled", 8, 255);
        var state = Backend.Load(stack);
        var steps = new List<Step>();
        var old = state.Resources.ToDictionary(r => r.Urn, StringComparer.Ordinal);
        foreach (var r in template.Resources)
        {
            var urn = Project.Urn(stack, r.Type, r.Name);
            if (!old.TryGetValue(urn, out var existing))
            {
                steps.Add(new Step("create", urn, r.Type, r.Name, null, r, [], []));
                continue;
            }
            var diffs = existing.Inputs.Select(p => p.Key).Union(r.Properties.Select(p => p.Key))
                .Where(k => !JsonNode.DeepEquals(existing.Inputs[k], r.Properties[k])).Order(StringComparer.Ordinal).ToList();
            if (diffs.Count == 0 && existing.Protect == r.Protect) continue;
            var forcing = ReplaceKeys.GetValueOrDefault(r.Type, []).Concat(r.ReplaceOnChanges).ToHashSet();
            var keys = diffs.Where(forcing.Contains).ToList();
            if (keys.Count > 0 && existing.Protect)
                throw new FakeError($"error: unable to replace resource \"{urn}\"\nas it is currently marked for protection. To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`", 1, 255);
            steps.Add(new Step(keys.Count > 0 ? "replace" : "update", urn, r.Type, r.Name, existing, r, diffs, keys));
        }
        var wanted = template.Resources.Select(r => Project.Urn(stack, r.Type, r.Name)).ToHashSet();
        foreach (var r in state.Resources.AsEnumerable().Reverse().Where(r => !wanted.Contains(r.Urn)))
        {
            if (r.Protect)
                throw new FakeError($"error: resource \"{r.Urn}\" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`, or use the command:\n`pulumi state unprotect '{r.Urn}'`", 1, 255);
            steps.Add(new Step("delete", r.Urn, r.Type, Name(r.Urn), r, null, [], []));
        }
        return (steps, template, config);
    }

    /// <summary>The provider's own account check (aws:allowedAccountIds), with the account the credentials really reach.</summary>
    private void CheckAccount(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue("aws:allowedAccountIds", out var ids)) return;
        var allowed = JsonNode.Parse(ids)!.AsArray().Select(n => n!.ToString()).ToList();
        string? role = null;
        if (config.TryGetValue("aws:assumeRoles", out var roles) && JsonNode.Parse(roles) is JsonArray { Count: > 0 } list)
            role = list[0]?["roleArn"]?.ToString();
        var actual = role is not null && faults.Accounts.TryGetValue(role, out var a) ? a
            : role is not null ? AccountRule().Match(role).Groups[1].Value
            : faults.Accounts.GetValueOrDefault("*");
        if (actual is null || allowed.Contains(actual)) return;
        throw new FakeError($"error: pulumi:providers:aws resource 'default_7_48_0' has a problem: AWS account ID not allowed: {actual}", 1, 255);
    }

    [GeneratedRegex(@"^arn:[^:]+:iam::(\d{12}):")]
    private static partial Regex AccountRule();
}
