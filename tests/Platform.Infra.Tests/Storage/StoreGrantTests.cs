using System.Text.Json;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

public class StoreGrantTests
{
    private static (Template Template, StackStorage Storage) Compile()
    {
        var settings = StackSettings.Load(Project, "test", TestStacksWithServices());
        var fresh = new Template();
        var storage = StackStorage.Create(new StackContext(Project, "test", fresh), settings);
        return (fresh, storage);
    }

    private static Dictionary<string, string> TestStacksWithServices() => Config(c => c["platform:services"] = StorageStacks.Services);

    private static IReadOnlyList<JsonElement> Grant(Func<IStore, IReadOnlyList<PolicyStatement>> grant, string service)
    {
        var (template, storage) = Compile();
        return StorageStacks.Statements(StorageStacks.Evaluator(template), grant(Assert.Single(storage.For(service))));
    }

    private static void AssertStatement(JsonElement statement, string[] actions, string[] resources)
    {
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(actions, StorageStacks.Strings(statement.GetProperty("Action")));
        Assert.Equal(resources, StorageStacks.Strings(statement.GetProperty("Resource")));
    }

    [Fact]
    public void Read_grants_list_on_the_bucket_and_get_on_its_objects_only()
    {
        var statements = Grant(s => s.GrantRead(), "documents");
        Assert.Equal(2, statements.Count);
        AssertStatement(statements[0], ["s3:ListBucket"], ["arn:aws:s3:::documents-inbox-bucket"]);
        AssertStatement(statements[1], ["s3:GetObject", "s3:GetObjectVersion"], ["arn:aws:s3:::documents-inbox-bucket/*"]);
        Assert.All(statements, s => Assert.False(s.TryGetProperty("Condition", out _)));
    }

    [Fact]
    public void Write_grants_put_delete_and_abort_on_objects_only()
    {
        var statements = Grant(s => s.GrantWrite(), "documents");
        var write = Assert.Single(statements);
        AssertStatement(write, ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::documents-inbox-bucket/*"]);
    }

    [Fact]
    public void Read_write_grants_both_with_unique_statement_ids()
    {
        var statements = Grant(s => s.GrantReadWrite(), "web-a");
        Assert.Equal(2, statements.Count);
        AssertStatement(statements[0], ["s3:ListBucket"], ["arn:aws:s3:::web-a-site-bucket"]);
        AssertStatement(statements[1], ["s3:GetObject", "s3:GetObjectVersion", "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::web-a-site-bucket/*"]);
        Assert.Equal(["WebASiteList", "WebASiteReadWrite"], statements.Select(s => s.GetProperty("Sid").GetString()));
    }

    [Fact]
    public void Secure_store_grants_add_its_key_only_and_only_through_s3()
    {
        var read = Grant(s => s.GrantRead(), "signatures");
        Assert.Equal(3, read.Count);
        // Archived objects are read by restoring a temporary copy first.
        AssertStatement(read[1], ["s3:GetObject", "s3:GetObjectVersion", "s3:RestoreObject"], ["arn:aws:s3:::signatures-images-bucket/*"]);
        AssertStatement(read[2], ["kms:Decrypt"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], StorageStacks.Strings(read[2].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService")));

        var write = Grant(s => s.GrantWrite(), "signatures");
        Assert.Equal(2, write.Count);
        AssertStatement(write[0], ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], ["arn:aws:s3:::signatures-images-bucket/*"]);
        AssertStatement(write[1], ["kms:Decrypt", "kms:GenerateDataKey"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
        Assert.Equal(["s3.eu-west-1.amazonaws.com"], StorageStacks.Strings(write[1].GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService")));

        var both = Grant(s => s.GrantReadWrite(), "signatures");
        AssertStatement(both[2], ["kms:Decrypt", "kms:GenerateDataKey"], ["arn:aws:kms:eu-west-1:111111111111:key/signatures-images-key"]);
    }

    [Theory]
    [InlineData("web-a", false)]
    [InlineData("signatures", true)]
    [InlineData("documents", true)]
    public void The_owner_of_a_static_site_only_reads_it_and_the_owner_of_any_other_store_reads_and_writes(string service, bool writes)
    {
        var (template, storage) = Compile();
        var actions = StorageStacks.Statements(StorageStacks.Evaluator(template), storage.OwnerGrants(service))
            .SelectMany(s => StorageStacks.Strings(s.GetProperty("Action"))).ToList();
        Assert.Contains("s3:GetObject", actions);
        Assert.Equal(writes, actions.Contains("s3:PutObject"));
    }

    [Fact]
    public void Stores_are_listed_per_service_with_their_kind()
    {
        var (_, storage) = Compile();
        Assert.Equal(StoreKind.StaticSite, Assert.Single(storage.For("web-a")).Kind);
        Assert.Equal(StoreKind.SecureStore, Assert.Single(storage.For("signatures")).Kind);
        Assert.Equal(StoreKind.TransientStore, Assert.Single(storage.For("documents")).Kind);
        Assert.Empty(storage.For("unknown"));
    }
}
