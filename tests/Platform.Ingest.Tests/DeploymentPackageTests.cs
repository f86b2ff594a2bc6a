using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Platform.LambdaPackager;

namespace Platform.Ingest.Tests;

/// <summary>
/// The zip the build wrote for this configuration (artifacts/functions/ingest.zip in Release): what the managed
/// .NET runtime needs to start the handler, and that it is the deterministic packing of the tested code.
/// </summary>
public sealed class DeploymentPackageTests : IDisposable
{
    /// <summary>The handler string of the function (docs/ingestion-function.md): Assembly::Namespace.Class::Method.</summary>
    private const string Handler = "Platform.Ingest::Platform.Ingest.Function::HandleAsync";

    private static readonly string ZipPath = typeof(DeploymentPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "IngestLambdaZip").Value!;

    private readonly ZipArchive zip = ZipFile.OpenRead(ZipPath);

    public void Dispose() => zip.Dispose();

    private byte[] Entry(string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{ZipPath} has no entry {name}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void The_zip_holds_the_tested_handler_assembly()
    {
        Assert.Equal(File.ReadAllBytes(typeof(Function).Assembly.Location), Entry("Platform.Ingest.dll"));
    }

    [Fact]
    public void Every_runtime_assembly_the_deps_file_lists_is_in_the_zip()
    {
        using var deps = JsonDocument.Parse(Entry("Platform.Ingest.deps.json"));
        var assemblies = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .SelectMany(library => library.Value.TryGetProperty("runtime", out var runtime) ? runtime.EnumerateObject().Select(a => Path.GetFileName(a.Name)) : [])
            .ToList();

        Assert.Contains("AWSSDK.S3.dll", assemblies);
        Assert.All(assemblies, a => Assert.NotNull(zip.GetEntry(a)));
    }

    [Fact]
    public void The_runtime_config_asks_for_dotnet_10_the_framework_of_the_dotnet10_lambda_runtime()
    {
        using var config = JsonDocument.Parse(Entry("Platform.Ingest.runtimeconfig.json"));
        var framework = config.RootElement.GetProperty("runtimeOptions").GetProperty("framework");

        Assert.Equal("Microsoft.NETCore.App", framework.GetProperty("name").GetString());
        Assert.StartsWith("10.", framework.GetProperty("version").GetString());
    }

    [Fact]
    public void The_zip_is_exactly_what_the_deterministic_packer_makes_of_its_own_content()
    {
        var unpacked = Directory.CreateTempSubdirectory("ingest-zip-");
        try
        {
            zip.ExtractToDirectory(unpacked.FullName);
            var repacked = Path.Combine(unpacked.FullName, "repacked.zip");
            DeterministicZip.Write(zip.Entries.Select(e => new PackageFile(e.FullName, Path.Combine(unpacked.FullName, e.FullName))), repacked);

            Assert.Equal(SHA256.HashData(File.ReadAllBytes(ZipPath)), SHA256.HashData(File.ReadAllBytes(repacked)));
        }
        finally
        {
            unpacked.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_handler_meets_the_managed_runtimes_rules_for_a_function_without_a_serializer()
    {
        // Amazon.Lambda.RuntimeSupport (UserCodeLoader, InvokeDelegateBuilder): the type is a non-generic class
        // built through a public parameterless constructor; the method name has no overloads in the class; the
        // first parameter is exactly System.IO.Stream and the result a Stream (or a Task of one), since no
        // serializer is declared.
        var (assemblyName, typeName, methodName) = Handler.Split("::") is [var a, var t, var m] ? (a, t, m) : throw new FormatException(Handler);
        Assert.Equal(assemblyName, typeof(Function).Assembly.GetName().Name);
        Assert.NotNull(zip.GetEntry($"{assemblyName}.dll"));

        var type = typeof(Function).Assembly.GetType(typeName);
        Assert.NotNull(type);
        Assert.True(type.IsClass && !type.IsAbstract && !type.IsGenericType);
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        var method = Assert.Single(type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static), m => m.Name == methodName);
        Assert.Equal([typeof(Stream)], method.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
    }
}
