using Platform.Infra.Aws;
using Platform.Infra.Aws.Lb;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>Where an ALB writes its access logs (ELB.5): an SSE-S3 bucket whose policy lets ELB log delivery write under the prefix.</summary>
/// <param name="Bucket">The bucket's name.</param>
/// <param name="Prefix">The key prefix (no trailing '/').</param>
/// <param name="Policy">The bucket policy that lets ELB write: the ALB waits for it (AWS tests the write when logging is turned on).</param>
public sealed record AlbAccessLogs(Output<string> Bucket, string Prefix, Resource Policy);

/// <summary>Inputs of a <see cref="PublicEndpoint"/>.</summary>
/// <param name="Port">The container port the target group forwards to.</param>
/// <param name="HealthPath">The HTTP path the target group probes.</param>
/// <param name="CertificateArn">ACM certificate for HTTPS; null serves plain HTTP (a finding, ELB.1/ELB.18).</param>
/// <param name="Network">Public subnets (the ALB) and the VPC (the target group).</param>
/// <param name="SecurityGroup">The ALB's security group.</param>
/// <param name="Protect">Deletion protection (stages that protect their data).</param>
/// <param name="AccessLogs">Where the ALB writes access logs; null leaves them off (a finding, ELB.5).</param>
public sealed record PublicEndpointArgs(int Port, string HealthPath, string? CertificateArn, Network Network, Output<string> SecurityGroup, bool Protect, AlbAccessLogs? AccessLogs);

/// <summary>
/// An internet-facing ALB in the public subnets (ELB.4/5/6/12/13: invalid headers dropped, defensive desync
/// mitigation, deletion protection where data is kept, access logs), an ip target group with a health check, and
/// HTTPS with a TLS 1.2+ policy (ELB.17) plus an HTTP → HTTPS redirect (ELB.1), or plain HTTP when no certificate is
/// configured.
/// </summary>
public sealed class PublicEndpoint
{
    /// <summary>A TLS 1.3 + 1.2 policy that ELB.17 recommends (ELBSecurityPolicy-TLS13-1-2-2021-06, the console default).</summary>
    public const string TlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    public const int HttpPort = 80;
    public const int HttpsPort = 443;

    /// <summary>ALB and target group names: at most 32 characters (Elastic Load Balancing API reference, CreateLoadBalancer, CreateTargetGroup).</summary>
    public const int NameLength = 32;

    public PublicEndpoint(ComponentScope scope, PublicEndpointArgs args)
    {
        if (args.Network.PublicSubnets.Count < 2)
            throw new InvalidOperationException("An ALB needs subnets in at least two AZs (ELB.13); the network settings guarantee azCount >= 2.");

        LoadBalancer = scope.Add("alb", new LoadBalancerArgs
        {
            Name = scope.PhysicalName("alb", NameLength),
            LoadBalancerType = "application",
            Internal = false,
            IpAddressType = "ipv4",
            Subnets = [.. args.Network.PublicSubnets.Select(s => (Input<string>)s.Id)],
            SecurityGroups = [args.SecurityGroup],
            DropInvalidHeaderFields = true,
            DesyncMitigationMode = "defensive",
            EnableDeletionProtection = args.Protect,
            EnableHttp2 = true,
            IdleTimeout = 60,
            AccessLogs = args.AccessLogs is { } logs ? (Input<LoadBalancerAccessLogs>)new LoadBalancerAccessLogs { Bucket = logs.Bucket, Prefix = logs.Prefix, Enabled = true } : null,
        }, args.AccessLogs is { } delivery ? new ResourceOptions { DependsOn = [delivery.Policy] } : null);

        TargetGroup = scope.Add("tg", new TargetGroupArgs
        {
            // The port is in the name: changing it replaces the target group, and the new one must not clash with the old.
            Name = scope.PhysicalName($"tg-{args.Port}", NameLength),
            TargetType = "ip",
            Protocol = "HTTP",
            ProtocolVersion = "HTTP1",
            Port = args.Port,
            VpcId = args.Network.Vpc.Id,
            DeregistrationDelay = 30,
            HealthCheck = new TargetGroupHealthCheck
            {
                Enabled = true,
                Protocol = "HTTP",
                Port = "traffic-port",
                Path = args.HealthPath,
                Matcher = "200-399",
                Interval = 15,
                Timeout = 5,
                HealthyThreshold = 3,
                UnhealthyThreshold = 3,
            },
        });

        Https = args.CertificateArn is not null;
        Listeners = Listen(scope, args.CertificateArn);
    }

    public LoadBalancer LoadBalancer { get; }

    public TargetGroup TargetGroup { get; }

    public IReadOnlyList<Listener> Listeners { get; }

    /// <summary>Whether the ALB serves HTTPS (a certificate is configured).</summary>
    public bool Https { get; }

    /// <summary>The URL the service answers on: the ALB's DNS name (a custom domain would point there).</summary>
    public Output<string> Url => Https ? Output.Format($"https://{LoadBalancer.DnsName}") : Output.Format($"http://{LoadBalancer.DnsName}");

    /// <summary>The ALB metric dimension of this target group: what request-count scaling and alarms name.</summary>
    public Output<string> ResourceLabel => Output.Format($"{LoadBalancer.ArnSuffix}/{TargetGroup.ArnSuffix}");

    /// <summary>HTTPS (TLS 1.2+) with an HTTP → HTTPS redirect, or plain HTTP forward when there is no certificate.</summary>
    private List<Listener> Listen(ComponentScope scope, string? certificateArn)
    {
        var forward = new ListenerDefaultAction { Type = "forward", TargetGroupArn = TargetGroup.Arn };
        if (certificateArn is null)
            return [scope.Add("http", new ListenerArgs { LoadBalancerArn = LoadBalancer.Arn, Port = HttpPort, Protocol = "HTTP", DefaultActions = [forward] })];
        return
        [
            scope.Add("https", new ListenerArgs
            {
                LoadBalancerArn = LoadBalancer.Arn,
                Port = HttpsPort,
                Protocol = "HTTPS",
                SslPolicy = TlsPolicy,
                CertificateArn = certificateArn,
                DefaultActions = [forward],
            }),
            scope.Add("http", new ListenerArgs
            {
                LoadBalancerArn = LoadBalancer.Arn,
                Port = HttpPort,
                Protocol = "HTTP",
                DefaultActions =
                [
                    new ListenerDefaultAction
                    {
                        Type = "redirect",
                        Redirect = new ListenerDefaultActionRedirect { Protocol = "HTTPS", Port = "443", StatusCode = "HTTP_301" },
                    },
                ],
            }),
        ];
    }
}
