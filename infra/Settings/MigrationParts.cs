namespace Platform.Infra.Settings;

// The parts of platform:migration (MigrationSettings reads and validates them).

/// <summary>How the stack's VPC reaches the source database's network.</summary>
public enum MigrationConnectivity
{
    /// <summary>A Site-to-Site VPN the stack creates (customer gateway, virtual private gateway, two tunnels).</summary>
    Vpn,

    /// <summary>Direct Connect, peering or a VPN the stack does not own: only the source CIDR is needed.</summary>
    Existing,
}

/// <summary>The source MySQL server. Its host, port, user and password live in a Secrets Manager secret, never in config.</summary>
/// <param name="EngineVersion">The source's major, e.g. <c>5.7</c>: the target's may not be lower.</param>
/// <param name="Port">The port the replication instance connects to through the VPN (security group egress).</param>
/// <param name="Cidr">The source network: routes through the VPN and the replication instance's egress.</param>
/// <param name="SizeGb">The data size on the source: the target's storage must hold it with <see cref="MigrationSettings.StorageHeadroom"/>.</param>
/// <param name="SecretArn">The secret with <c>host</c>, <c>port</c>, <c>username</c>, <c>password</c> of the DMS user on the source.</param>
public sealed record MigrationSource(string EngineVersion, int Port, Cidr Cidr, int SizeGb, string SecretArn);

/// <summary>The customer (source) side of the Site-to-Site VPN.</summary>
/// <param name="CustomerGatewayIp">The public IPv4 address of the source network's VPN device.</param>
/// <param name="BgpAsn">The device's BGP ASN for dynamic routing; null for static routing to the source CIDR.</param>
public sealed record MigrationVpn(string CustomerGatewayIp, int? BgpAsn)
{
    /// <summary>The ASN AWS gives a customer gateway that has none (static routing): BGP is not used then.</summary>
    public const int StaticRoutingAsn = 65000;

    /// <summary>The Amazon-side ASN of a virtual private gateway created without one: the customer's must differ.</summary>
    public const int AmazonSideAsn = 64512;
}

/// <summary>The DMS replication instance.</summary>
/// <param name="EngineVersion">A DMS engine version such as <c>3.5.4</c>; null for DMS's default.</param>
public sealed record MigrationReplication(string InstanceClass, int AllocatedStorageGb, bool MultiAz, string? EngineVersion);

/// <summary>A <c>schema.table</c> pattern of the table mappings; <c>%</c> is DMS's wildcard.</summary>
public sealed record TablePattern(string Schema, string Table)
{
    public override string ToString() => $"{Schema}.{Table}";
}

/// <summary>The replication task's knobs for large tables (DMS user guide, "Specifying task settings").</summary>
/// <param name="MaxFullLoadSubTasks">Tables loaded in parallel during the full load (FullLoadSettings.MaxFullLoadSubTasks, 1-49).</param>
/// <param name="ParallelLoadThreads">Threads (each a connection) the MySQL target endpoint loads each table with (MySQL endpoint setting ParallelLoadThreads).</param>
/// <param name="LobMaxSizeKb">Limited LOB mode's cut-off in KB (TargetMetadata.LobMaxSize): larger LOBs are truncated, and validation reports them.</param>
/// <param name="Validation">Row-by-row validation of the full load and the changes (ValidationSettings.EnableValidation).</param>
/// <param name="TargetTablePrepMode"><c>DO_NOTHING</c> (the schema is created on the target first, see docs/migration.md), <c>TRUNCATE_BEFORE_LOAD</c> or <c>DROP_AND_CREATE</c>.</param>
public sealed record MigrationTask(int MaxFullLoadSubTasks, int ParallelLoadThreads, int LobMaxSizeKb, bool Validation, string TargetTablePrepMode);
