namespace Platform.Infra.Policies.Rules;

/// <summary>AWS DMS controls (Security Hub, "Controls for AWS DMS"): replication instances and endpoints.</summary>
public static class DmsRules
{
    private static IEnumerable<Node> Instances(PolicyContext c) => c.OfType("aws:dms:ReplicationInstance");

    public static IEnumerable<Rule> All =>
    [
        new("DMS.1", Severity.Critical, "Replication instances set publiclyAccessible: false (DMS defaults to true).", Rule.Mandatory, c =>
            Instances(c).Where(i => !V.IsFalse(i["publiclyAccessible"]))
                .Select(i => i.Violation("gets a public IP address (DMS's default when publiclyAccessible is not false).", "set publiclyAccessible: false and place it in private subnets"))),

        new("DMS.6", Severity.Medium, "autoMinorVersionUpgrade is true on replication instances.", Rule.Mandatory, c =>
            Instances(c).Where(i => !V.IsTrue(i["autoMinorVersionUpgrade"]))
                .Select(i => i.Violation("does not take minor engine upgrades automatically.", "set autoMinorVersionUpgrade: true"))),

        new("DMS.9", Severity.Medium, "Endpoints set sslMode to require, verify-ca or verify-full.", Rule.Mandatory, c =>
            c.OfType("aws:dms:Endpoint").Where(e => V.Str(e["sslMode"]) is not ("require" or "verify-ca" or "verify-full"))
                .Select(e => e.Violation("connects to its database without TLS.", "set sslMode: require (or verify-full with a DMS certificate)"))),

        new("DMS.13", Severity.Medium, "Replication instances are Multi-AZ (mandatory in protected stages).", Rule.WhereProtected, c =>
            Instances(c).Where(i => !V.IsTrue(i["multiAz"]))
                .Select(i => i.Violation("runs in a single AZ: a failure stops the replication until it is replaced.", "set multiAz: true"))),
    ];
}
