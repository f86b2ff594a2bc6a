using System.Security.Cryptography;
using System.Text;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// IAM Identity Center (SSO) profiles, as most engineers hold AWS credentials: the account guard resolves them through
/// the AWS SDK's SSO packages. No network: the token is the one `aws sso login` would have cached, and the portal is
/// the local endpoint named by AWS_ENDPOINT_URL_SSO (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
/// </summary>
public sealed class SsoTests
{
    /// <summary>A world whose AWS config has the profile platform-dev on the sso_session corp, with a cached token expiring at <paramref name="expiresAt"/>.</summary>
    private static (World World, Dictionary<string, string?> Environment, string Token) SsoWorld(string expiresAt)
    {
        var world = new World("stages:\n  - name: dev\n    stacks: [dev]\n");
        var home = Path.Combine(world.Root, "home");
        var config = Path.Combine(home, ".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, """
            [profile platform-dev]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = PlatformDeployer
            region = eu-west-1

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-west-1
            sso_registration_scopes = sso:account:access
            """);
        // What `aws sso login --sso-session corp` caches: ~/.aws/sso/cache/<sha1 of the session name>.json.
        var cache = Path.Combine(home, ".aws", "sso", "cache");
        Directory.CreateDirectory(cache);
        var token = $"sso-{world.Id}";
        File.WriteAllText(Path.Combine(cache, Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("corp"))) + ".json"),
            $$"""{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"{{token}}","expiresAt":"{{expiresAt}}"}""");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_PROFILE"] = "platform-dev",
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_ENDPOINT_URL_SSO"] = Artifacts.Sts.Url.TrimEnd('/'),
        };
        return (world, environment, token);
    }

    [Fact]
    public void A_profile_with_an_sso_session_is_resolved_through_the_cached_token_and_the_guard_passes_for_its_account()
    {
        var (world, environment, token) = SsoWorld("2099-01-01T00:00:00Z");
        using var _ = world;

        var run = world.RunWith(environment, logDir: true, "up", "--stack", "dev");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("account 111111111111 matches aws:allowedAccountIds", run.All);
        Assert.Contains((token, "111111111111", "PlatformDeployer"), Artifacts.Sts.SsoCalls);
        Assert.True(world.ResourceCount("dev") > 20, run.ToString());
    }

    [Fact]
    public void An_expired_sso_token_is_refused_before_any_change_with_the_login_to_run()
    {
        var (world, environment, token) = SsoWorld("2020-01-01T00:00:00Z");
        using var _ = world;

        var run = world.RunWith(environment, logDir: true, "up", "--stack", "dev");

        Assert.True(run.ExitCode == ExitCodes.WrongAccount, run.ToString());
        Assert.Contains("aws sso login", run.All);
        Assert.DoesNotContain("   at ", run.All);
        Assert.DoesNotContain(Artifacts.Sts.SsoCalls, c => c.Token == token);
        Assert.DoesNotContain(world.Invocations(), a => a[0] is "preview" or "up");
    }
}
