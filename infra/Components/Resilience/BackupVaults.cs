using Platform.Infra.Aws;
using Platform.Infra.Aws.Backup;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Resilience;

/// <summary>
/// The stack's two AWS Backup vaults: the primary vault in the stack's region, where the backup plan writes recovery
/// points, and the DR vault in the DR region, where every recovery point is copied. Each is encrypted with its own
/// customer-managed key of its region (a vault's key must be in the vault's region; Backup.1), and both are named
/// <c>&lt;project&gt;-&lt;stack&gt;-backup-&lt;role&gt;</c>: vault names are unique per account and region, so two stacks in one
/// account never collide (AWS Backup developer guide, "Backup vault creation and deletion": 2-50 letters, digits,
/// '-' and '_').
/// <para>
/// The DR vault and its key carry the AWS provider v7's per-resource <c>region</c> (Pulumi AWS provider docs,
/// "Enhanced Region Support"): the stack needs no second provider for the DR region.
/// </para>
/// </summary>
public sealed class BackupVaults
{
    /// <summary>AWS Backup's longest vault name.</summary>
    public const int MaxNameLength = 50;

    private BackupVaults(Vault primary, Vault dr, CustomerKey primaryKey, CustomerKey drKey)
    {
        Primary = primary;
        Dr = dr;
        PrimaryKey = primaryKey;
        DrKey = drKey;
    }

    public Vault Primary { get; }

    public Vault Dr { get; }

    public CustomerKey PrimaryKey { get; }

    public CustomerKey DrKey { get; }

    public static BackupVaults Create(ComponentScope scope, StackSettings settings, DrSettings dr)
    {
        var aws = settings.Aws;
        var protect = settings.Profile.Protect;
        var primaryKey = CustomerKey.Create(scope, "vault-key", aws, protect, $"Encrypts the AWS Backup recovery points of {scope.Stack.Project}/{scope.Stack.Stack} in {aws.Region}.");
        var drKey = CustomerKey.Create(scope, "dr-vault-key", aws, protect, $"Encrypts the DR copies of {scope.Stack.Project}/{scope.Stack.Stack} in {dr.Region}.", region: dr.Region);

        // A vault that holds recovery points cannot be deleted (forceDestroy would delete them: only where data is disposable).
        var primary = scope.Add("vault", new VaultArgs
        {
            Name = scope.PhysicalName("vault", MaxNameLength),
            KmsKeyArn = primaryKey.Key.Arn,
            ForceDestroy = settings.Profile.DisposableData,
        }, ResourceOptions.Stateful(protect));
        var drVault = scope.Add("dr-vault", new VaultArgs
        {
            Name = scope.PhysicalName("dr-vault", MaxNameLength),
            KmsKeyArn = drKey.Key.Arn,
            ForceDestroy = settings.Profile.DisposableData,
            Region = dr.Region,
        }, ResourceOptions.Stateful(protect));

        if (dr.VaultLock.Mode != VaultLockMode.Off)
        {
            Lock(scope, "vault-lock", primary, dr, null);
            Lock(scope, "dr-vault-lock", drVault, dr, dr.Region);
        }
        return new BackupVaults(primary, drVault, primaryKey, drKey);
    }

    /// <summary>
    /// The vault lock (AWS Backup developer guide, "AWS Backup Vault Lock"): every backup or copy job into the vault must
    /// keep its recovery point at least <see cref="DrSettings.RetentionDays"/> days, and no recovery point can be deleted
    /// earlier. Without <c>changeableForDays</c> the lock is in governance mode: a principal with
    /// <c>backup:DeleteBackupVaultLockConfiguration</c> may still remove it. With it, compliance mode: after that grace
    /// time (at least 3 days) the lock, the vault and its recovery points cannot be changed or deleted before they
    /// expire, by anyone, the root user and AWS included. That is irreversible, so it is only ever explicit data
    /// (<c>platform:dr.vaultLock.mode: compliance</c>).
    /// </summary>
    private static VaultLockConfiguration Lock(ComponentScope scope, string role, Vault vault, DrSettings dr, string? region) =>
        scope.Add(role, new VaultLockConfigurationArgs
        {
            BackupVaultName = vault.Name,
            MinRetentionDays = dr.RetentionDays,
            ChangeableForDays = dr.VaultLock.ChangeableForDays is { } days ? (Input<double>)days : null,
            Region = Input<string>.Optional(region),
        });
}
