using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Platform.Automation.Stacks;
using Platform.Infra.Settings;

namespace Platform.Automation.Accounts;

/// <summary>How a stack reaches AWS: region, optional profile, the role chain and the accounts it may touch (from Pulumi.&lt;stack&gt;.yaml).</summary>
public sealed record StackAwsAccess(string Stack, string Region, string? Profile, IReadOnlyList<AssumedRole> Roles, IReadOnlyList<string> AllowedAccountIds)
{
    public static StackAwsAccess From(StackConfig config)
    {
        var v = config.Values;
        var region = v.GetValueOrDefault("aws:region") ?? "us-east-1";
        var profile = v.GetValueOrDefault("aws:profile");
        var allowed = new List<string>();
        if (v.TryGetValue("aws:allowedAccountIds", out var ids))
        {
            if (List(ids) is { } list)
                allowed.AddRange(list.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.String ? id.GetString()! : id.ToString()));
            else allowed.Add(ids); // a single id written as a scalar: the guard compares it like any other
        }
        var roles = new List<AssumedRole>();
        if (v.TryGetValue("aws:assumeRoles", out var text))
        {
            var list = List(text) ?? throw new BadInputException(
                $"{config.Stack}: aws:assumeRoles in Pulumi.{config.Stack}.yaml must be a list of {{roleArn, sessionName}} maps.",
                "write it as aws:assumeRoles: [{roleArn: 'arn:aws:iam::111111111111:role/platform-deployer', sessionName: platform}] (docs/configuration.md)");
            foreach (var r in list.EnumerateArray())
                if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("roleArn", out var arn) && arn.ValueKind == JsonValueKind.String)
                    roles.Add(new AssumedRole(arn.GetString()!,
                        r.TryGetProperty("sessionName", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : $"platform-{config.Stack}",
                        r.TryGetProperty("externalId", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() : null));
        }
        return new StackAwsAccess(config.Stack, region, profile, roles, allowed);
    }

    /// <summary>A config value that holds a JSON list, or null when it holds anything else.</summary>
    private static JsonElement? List(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record AssumedRole(string RoleArn, string SessionName, string? ExternalId);

/// <summary>Who the credentials are: STS GetCallerIdentity's answer.</summary>
public sealed record CallerIdentity(string Account, string Arn);

/// <summary>Resolves the identity a stack's deployment would run as. Mocked in tests; the real one calls STS.</summary>
public interface IAwsIdentityResolver
{
    Task<CallerIdentity> ResolveAsync(StackAwsAccess access, CancellationToken cancellationToken);
}

/// <summary>
/// The AWS SDK implementation: the default credential chain (or the stack's <c>aws:profile</c>), then each role of
/// <c>aws:assumeRoles</c> in turn, as the provider would, then GetCallerIdentity. <paramref name="serviceUrl"/> points the
/// STS client somewhere else (a VPC endpoint, a FIPS endpoint, a local STS), as the SDK's ServiceURL.
/// </summary>
public sealed class StsIdentityResolver(string? serviceUrl) : IAwsIdentityResolver
{
    public async Task<CallerIdentity> ResolveAsync(StackAwsAccess access, CancellationToken cancellationToken)
    {
        AWSCredentials? credentials = null;
        if (access.Profile is not null)
        {
            if (!new CredentialProfileStoreChain().TryGetAWSCredentials(access.Profile, out credentials))
                throw new PlatformException($"Stack '{access.Stack}': the AWS profile '{access.Profile}' (aws:profile) was not found.", ExitCodes.WrongAccount,
                    "create it with `aws configure --profile " + access.Profile + "` or remove aws:profile from the stack");
        }
        try
        {
            foreach (var role in access.Roles)
            {
                using var sts = Client(credentials, access.Region);
                var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
                {
                    RoleArn = role.RoleArn,
                    RoleSessionName = role.SessionName,
                    ExternalId = role.ExternalId,
                    DurationSeconds = 900,
                }, cancellationToken);
                var c = assumed.Credentials;
                credentials = new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
            }
            using var client = Client(credentials, access.Region);
            var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
            return new CallerIdentity(identity.Account, identity.Arn);
        }
        catch (AmazonServiceException e)
        {
            throw new PlatformException($"Stack '{access.Stack}': AWS refused the account check ({e.ErrorCode}: {e.Message}).", ExitCodes.WrongAccount,
                "check the AWS credentials (aws sts get-caller-identity) and that they may assume the roles in aws:assumeRoles");
        }
        catch (AmazonClientException e)
        {
            throw new PlatformException($"Stack '{access.Stack}': no usable AWS credentials for the account check ({e.Message}).", ExitCodes.WrongAccount,
                "set AWS credentials (AWS_PROFILE, aws sso login, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
        }
    }

    private AmazonSecurityTokenServiceClient Client(AWSCredentials? credentials, string region)
    {
        var config = new AmazonSecurityTokenServiceConfig();
        if (serviceUrl is not null)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        return credentials is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(credentials, config);
    }
}

/// <summary>Raised when a stack's credentials belong to an account the stack does not allow: nothing was changed.</summary>
public sealed class WrongAccountException(string stack, IReadOnlyList<string> expected, CallerIdentity actual)
    : PlatformException(
        $"Stack '{stack}' refused: it may only touch account {string.Join(" or ", expected)} (aws:allowedAccountIds), but the credentials it would use are for account {actual.Account} ({actual.Arn}). Nothing was changed.",
        ExitCodes.WrongAccount,
        $"use credentials for account {string.Join(" or ", expected)} (check AWS_PROFILE and aws:assumeRoles in Pulumi.{stack}.yaml)");

/// <summary>The account guard: runs before every mutation (docs/console.md, "What a promotion does, per stack").</summary>
public sealed class AccountGuard(IAwsIdentityResolver resolver)
{
    public async Task<CallerIdentity> CheckAsync(StackAwsAccess access, CancellationToken cancellationToken)
    {
        if (access.AllowedAccountIds.Count == 0)
            throw new PlatformException($"Stack '{access.Stack}' has no aws:allowedAccountIds: the console refuses to change a stack that does not name its account.",
                ExitCodes.WrongAccount, ConfigFix.Set("aws:allowedAccountIds[0]", "'<12-digit id>'", access.Stack));
        var identity = await resolver.ResolveAsync(access, cancellationToken);
        if (!access.AllowedAccountIds.Contains(identity.Account, StringComparer.Ordinal))
            throw new WrongAccountException(access.Stack, access.AllowedAccountIds, identity);
        return identity;
    }
}
