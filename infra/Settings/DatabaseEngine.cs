namespace Platform.Infra.Settings;

/// <summary>A database engine the platform supports, with what differs between engines.</summary>
/// <param name="Name">The <c>platform:database.engine</c> word and the RDS <c>engine</c>.</param>
/// <param name="Versions">Supported major versions, newest first (RDS picks the newest minor; minor upgrades are automatic).</param>
/// <param name="Port">The engine's port.</param>
/// <param name="LogExports">The logs exported to CloudWatch Logs (RDS.9).</param>
/// <param name="TlsParameter">The parameter that refuses unencrypted connections.</param>
/// <param name="ExtendedSupport">Majors RDS still runs only in Extended Support (charged per vCPU-hour): refused with that reason.</param>
public sealed record DatabaseEngine(string Name, IReadOnlyList<string> Versions, int Port, IReadOnlyList<string> LogExports, string TlsParameter,
    IReadOnlyList<string> ExtendedSupport)
{
    /// <summary>PostgreSQL 16 to 18 are in RDS standard support (RDS for PostgreSQL release calendar).</summary>
    public static readonly DatabaseEngine Postgres = new("postgres", ["18", "17", "16"], 5432, ["postgresql", "upgrade"], "rds.force_ssl", ["11", "12", "13"]);

    /// <summary>
    /// MySQL 8.4 (LTS) only: 5.7 and 8.0 are in RDS Extended Support (RDS for MySQL release calendar). MySQL exports
    /// error and slow-query logs. The <c>audit</c> log needs an option group with the MariaDB audit plugin and
    /// <c>general</c> needs the (costly) general log on: neither is configured, so neither is exported.
    /// </summary>
    public static readonly DatabaseEngine MySql = new("mysql", ["8.4"], 3306, ["error", "slowquery"], "require_secure_transport", ["5.7", "8.0"]);

    public static readonly IReadOnlyList<DatabaseEngine> All = [Postgres, MySql];

    /// <summary>The parameter group family of a version: <c>postgres18</c>, <c>mysql8.4</c>.</summary>
    public string Family(string version) => Name + version;
}
