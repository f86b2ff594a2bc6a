using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// A local STS endpoint (the console reaches it through its ServiceURL option, as a user could point it at any STS):
/// AssumeRole returns credentials for the role's account (or the account a test says those credentials really reach),
/// GetCallerIdentity answers from the access key the request was signed with. It also answers the IAM Identity Center
/// portal's GetRoleCredentials (GET /federation/credentials, the bearer token in x-amz-sso_bearer_token), which the
/// AWS SDK reaches through AWS_ENDPOINT_URL_SSO: a token "sso-&lt;world&gt;" gets keys for the requested account.
/// </summary>
public sealed partial class FakeSts : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<string, string?>> _worlds = new();

    public FakeSts()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(Loop);
    }

    public string Url { get; }

    public int Calls;

    /// <summary>Every GetRoleCredentials call: (bearer token, account id, role name).</summary>
    public ConcurrentQueue<(string Token, string Account, string Role)> SsoCalls { get; } = new();

    /// <summary>Registers a world: its ambient access key, and a role ARN → real account override.</summary>
    public void Register(string world, Func<string, string?> accountOverride) => _worlds[world] = accountOverride;

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception) { return; }
            try
            {
                Interlocked.Increment(ref Calls);
                if (ctx.Request.Url?.AbsolutePath == "/federation/credentials")
                {
                    await RoleCredentials(ctx);
                    continue;
                }
                using var reader = new StreamReader(ctx.Request.InputStream);
                var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
                var key = KeyRule().Match(ctx.Request.Headers["Authorization"] ?? "").Groups[1].Value;
                var (world, account) = Parse(key);
                string body;
                switch (form["Action"])
                {
                    case "AssumeRole":
                        var arn = form["RoleArn"] ?? "";
                        var target = (_worlds.TryGetValue(world, out var f) ? f(arn) : null) ?? ArnAccount().Match(arn).Groups[1].Value;
                        body = $"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>ASIA-{world}-{target}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::{target}:assumed-role/x/{form["RoleSessionName"]}</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>";
                        break;
                    case "GetCallerIdentity":
                        var arnOf = key.StartsWith("ASIA", StringComparison.Ordinal) ? $"arn:aws:sts::{account}:assumed-role/platform-deployer/session" : $"arn:aws:iam::{account}:user/ci";
                        body = $"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>{arnOf}</Arn><UserId>AIDA</UserId><Account>{account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
                        break;
                    default:
                        ctx.Response.StatusCode = 400;
                        body = "<ErrorResponse><Error><Code>InvalidAction</Code><Message>unsupported</Message></Error></ErrorResponse>";
                        break;
                }
                var bytes = Encoding.UTF8.GetBytes(body);
                ctx.Response.ContentType = "text/xml";
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
            catch (Exception)
            {
                try { ctx.Response.Abort(); } catch (Exception) { }
            }
        }
    }

    private async Task RoleCredentials(HttpListenerContext ctx)
    {
        var token = ctx.Request.Headers["x-amz-sso_bearer_token"] ?? "";
        var account = ctx.Request.QueryString["account_id"] ?? "";
        SsoCalls.Enqueue((token, account, ctx.Request.QueryString["role_name"] ?? ""));
        string body;
        if (token.StartsWith("sso-", StringComparison.Ordinal))
            body = $$$"""{"roleCredentials":{"accessKeyId":"ASIA-{{{token[4..]}}}-{{{account}}}","secretAccessKey":"secret","sessionToken":"token","expiration":4102444800000}}""";
        else
        {
            ctx.Response.StatusCode = 401;
            body = """{"message":"Session token not found or invalid"}""";
            ctx.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.ContentType = "application/json";
        await ctx.Response.OutputStream.WriteAsync(bytes);
        ctx.Response.Close();
    }

    /// <summary>Keys are AKIA-&lt;world&gt;-&lt;account&gt; (ambient) or ASIA-&lt;world&gt;-&lt;account&gt; (assumed).</summary>
    private static (string World, string Account) Parse(string key)
    {
        var parts = key.Split('-');
        return parts.Length == 3 ? (parts[1], parts[2]) : ("", "000000000000");
    }

    [GeneratedRegex(@"Credential=([^/]+)/")]
    private static partial Regex KeyRule();

    [GeneratedRegex(@"^arn:[^:]+:iam::(\d{12}):")]
    private static partial Regex ArnAccount();

    public void Dispose() => _listener.Close();
}
