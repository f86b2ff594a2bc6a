using Platform.Infra.Settings;

namespace Platform.Infra.Policies;

/// <summary>
/// One control: its id (the FSBP control id where one applies, <c>PLATFORM.*</c> otherwise), severity, what it checks,
/// how it is enforced in a stage, and the check itself over the finished template.
/// </summary>
public sealed record Rule(string Id, Severity Severity, string Checks, Func<StageProfile, Enforcement> Enforce, Func<PolicyContext, IEnumerable<Violation>> Check)
{
    public static readonly Func<StageProfile, Enforcement> Mandatory = _ => Enforcement.Mandatory;
    public static readonly Func<StageProfile, Enforcement> Advisory = _ => Enforcement.Advisory;

    /// <summary>Mandatory where the stage protects its resources (prod), advisory elsewhere.</summary>
    public static readonly Func<StageProfile, Enforcement> WhereProtected = p => p.Protect ? Enforcement.Mandatory : Enforcement.Advisory;

    /// <summary>Mandatory where the stage's data is not disposable, advisory in throw-away stages.</summary>
    public static readonly Func<StageProfile, Enforcement> WhereDataIsKept = p => p.DisposableData ? Enforcement.Advisory : Enforcement.Mandatory;
}
