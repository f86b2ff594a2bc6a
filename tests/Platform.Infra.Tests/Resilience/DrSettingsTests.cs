using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Bad <c>platform:dr</c> input: refused with the stack, the key and the fix, every problem at once.</summary>
public class DrSettingsTests
{
    private static void Dr(Dictionary<string, string> c, string dr, bool disposable = false)
    {
        c["platform:services"] = StorageStacks.Services;
        c["platform:profile"] = $$"""{"protect":false,"disposableData":{{(disposable ? "true" : "false")}},"logRetentionDays":30}""";
        c[DrSettings.Key] = dr;
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_key_and_fix()
    {
        var result = TestStacks.Compile(TestStacks.Config(c => Dr(c, """
            {"region":"eu-west-1","rpoHours":48,"rtoHours":8,"retentionDays":1,"backupFrequencyHours":5,
             "vaultLock":{"mode":"compliance"},"replicationTimeControll":true,"drills":{"lookbackDays":30,"schedule":"weekly"}}
            """)), "blue");
        Assert.False(result.Succeeded);
        Assert.Null(result.Text);
        var problems = result.Error!.Problems.ToDictionary(p => p.Key, p => p);
        Assert.Contains("stack's own region", problems["platform:dr.region"].Problem);
        Assert.Contains("eu-central-1", problems["platform:dr.region"].Fix);
        Assert.Contains("shorter than the RPO", problems["platform:dr.retentionDays"].Problem);
        Assert.Contains("2", problems["platform:dr.retentionDays"].Fix);
        Assert.Contains("does not divide a day", problems["platform:dr.backupFrequencyHours"].Problem);
        Assert.Contains("compliance", problems["platform:dr.vaultLock.changeableForDays"].Problem);
        Assert.Contains("replicationTimeControl", problems["platform:dr.replicationTimeControll"].Fix);
        Assert.Contains("longer than the 1 day(s)", problems["platform:dr.drills.lookbackDays"].Problem);
        Assert.Contains("cron", problems["platform:dr.drills.schedule"].Problem);
        Assert.Contains("blue", result.ErrorMessage);
        Assert.Equal(7, problems.Count);
    }

    [Theory]
    [InlineData("""{"region":"eu-centrl-1","rpoHours":24,"rtoHours":8}""", "platform:dr.region", "eu-central-1")]
    [InlineData("""{"region":"cn-north-1","rpoHours":24,"rtoHours":8}""", "platform:dr.region", "another partition")]
    [InlineData("""{"rpoHours":24,"rtoHours":8}""", "platform:dr.region", "required")]
    [InlineData("""{"region":"eu-central-1","rtoHours":8}""", "platform:dr.rpoHours", "required")]
    [InlineData("""{"region":"eu-central-1","rpoHours":4,"rtoHours":8,"backupFrequencyHours":6}""", "platform:dr.backupFrequencyHours", "cannot meet an RPO of 4 h")]
    [InlineData("""{"region":"eu-central-1","rpoHours":24,"rtoHours":8,"vaultLock":{"mode":"off"}}""", "platform:dr.vaultLock.mode", "cannot be off where data is kept")]
    [InlineData("""{"region":"eu-central-1","rpoHours":24,"rtoHours":8,"vaultLock":{"changeableForDays":3}}""", "platform:dr.vaultLock.changeableForDays", "irreversible")]
    [InlineData("""{"region":"eu-central-1","rpoHours":24,"rtoHours":8,"vaultLock":{"mode":"compliance","changeableForDays":1}}""", "platform:dr.vaultLock.changeableForDays", "out of range")]
    [InlineData("""{"region":"eu-central-1","rpoHours":24,"rtoHours":8,"drills":{"validationWindowHours":200}}""", "platform:dr.drills.validationWindowHours", "out of range")]
    public void A_bad_value_is_refused_naming_its_key(string dr, string key, string says)
    {
        var problem = Assert.Single(TestStacks.Problems(c => Dr(c, dr)), p => p.Key == key);
        Assert.Contains(says, problem.Problem + " " + problem.Fix);
    }

    [Fact]
    public void A_replica_bucket_name_beyond_s3s_limit_is_refused()
    {
        var problems = TestStacks.Problems(c =>
        {
            Dr(c, """{"region":"eu-central-1","rpoHours":24,"rtoHours":8}""");
            // 62 characters for the store's bucket, 65 for its replica.
            c["platform:services"] = """{"signatures-archives":{"dataClassification":"restricted","stores":[{"kind":"secureStore","name":"customer-images"}]}}""";
        });
        Assert.Contains(problems, p => p.Key == DrSettings.Key && p.Problem.Contains("63", StringComparison.Ordinal));
    }

    [Fact]
    public void A_throw_away_stage_may_have_dr_without_a_vault_lock()
    {
        var template = TestStacks.Template(c => Dr(c, """{"region":"eu-central-1","rpoHours":24,"rtoHours":8}""", disposable: true));
        Assert.NotNull(template.Find("backup-plan"));
        Assert.Null(template.Find("backup-vault-lock"));
        Assert.Equal("true", template.Get("backup-vault").Text("forceDestroy"));
    }
}
