using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>Options of a <c>staticSite</c> store.</summary>
/// <param name="PriceClass">CloudFront price class: PriceClass_100 (default), PriceClass_200 or PriceClass_All.</param>
/// <param name="Aliases">Custom domain names; need <paramref name="CertificateArn"/>.</param>
/// <param name="CertificateArn">An ACM certificate in us-east-1 covering the aliases.</param>
/// <param name="WebAclArn">A WAFv2 web ACL (scope CLOUDFRONT, so in us-east-1).</param>
/// <param name="NoncurrentVersionExpirationDays">How long replaced site files are kept for rollback.</param>
public sealed partial record StaticSiteSettings(string Name, string PriceClass, IReadOnlyList<string> Aliases, string? CertificateArn, string? WebAclArn, int NoncurrentVersionExpirationDays)
    : StoreSettings(Name)
{
    public static readonly IReadOnlyList<string> PriceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

    public override StoreKind Kind => StoreKind.StaticSite;

    internal static StaticSiteSettings? Read(ConfigReader reader, ObjectReader o, string service, string name)
    {
        var priceClass = o.Choice("priceClass", "PriceClass_100", PriceClasses)!;
        var aliases = o.Strings("aliases", "aliases: [www.example.com]") ?? [];
        var certificate = o.String("certificateArn", "", "arn:aws:acm:us-east-1:111111111111:certificate/<id>");
        var webAcl = o.String("webAclArn", "", "arn:aws:wafv2:us-east-1:111111111111:global/webacl/<name>/<id>");
        var noncurrent = o.Int("noncurrentVersionExpirationDays", 30, 1, 3650, "days replaced site files are kept for rollback")!.Value;
        var ok = true;

        if (certificate is { Length: > 0 })
        {
            var match = CertificateRule().Match(certificate);
            if (!match.Success)
            {
                reader.Add(o.Path("certificateArn"), $"service '{service}': '{certificate}' is not an ACM certificate ARN.",
                    ConfigFix.Set(o.Path("certificateArn"), "arn:aws:acm:us-east-1:<account>:certificate/<id>"));
                ok = false;
            }
            else if (match.Groups["region"].Value != "us-east-1")
            {
                reader.Add(o.Path("certificateArn"), $"service '{service}': the certificate is in {match.Groups["region"].Value}, but CloudFront only uses ACM certificates in us-east-1.",
                    "request or import the certificate in us-east-1 (N. Virginia) and set its ARN");
                ok = false;
            }
        }
        if (aliases.Count > 0 && certificate is not { Length: > 0 })
        {
            reader.Add(o.Path("aliases"), $"service '{service}': custom domain aliases need a certificate covering them (certificateArn).",
                $"{ConfigFix.Set(o.Path("certificateArn"), "arn:aws:acm:us-east-1:<account>:certificate/<id>")}, or remove the aliases");
            ok = false;
        }
        foreach (var alias in aliases)
            if (!HostRule().IsMatch(alias))
            {
                reader.Add(o.Path("aliases"), $"service '{service}': '{alias}' is not a domain name.", "use lower-case domain names like www.example.com");
                ok = false;
            }
        if (webAcl is { Length: > 0 } && !WebAclRule().IsMatch(webAcl))
        {
            reader.Add(o.Path("webAclArn"), $"service '{service}': '{webAcl}' is not the ARN of a CloudFront-scoped WAFv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).",
                "create the web ACL with scope CLOUDFRONT in us-east-1 and set its ARN");
            ok = false;
        }
        return ok ? new StaticSiteSettings(name, priceClass, aliases, NullIfEmpty(certificate), NullIfEmpty(webAcl), noncurrent) : null;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:acm:(?<region>[a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateRule();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]+/[a-f0-9-]+$")]
    private static partial Regex WebAclRule();

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostRule();
}
