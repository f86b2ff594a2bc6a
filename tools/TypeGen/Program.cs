using Platform.AwsSchema;
using Platform.TypeGen;

// Usage: Platform.TypeGen <@pulumi/aws package dir> <output dir> [--resources <file>]
// Run from the repository root: dotnet run --project tools/TypeGen -- conformance/node_modules/@pulumi/aws infra/Aws/Generated
var positional = new List<string>();
string? resourcesFile = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--resources" && i + 1 < args.Length) resourcesFile = args[++i];
    else positional.Add(args[i]);
}
if (positional.Count != 2)
{
    Console.Error.WriteLine("usage: Platform.TypeGen <@pulumi/aws package dir> <output dir> [--resources tools/TypeGen/resources.txt]");
    return 2;
}
resourcesFile ??= Path.Combine("tools", "TypeGen", "resources.txt");
if (!File.Exists(resourcesFile))
{
    Console.Error.WriteLine($"error: the resource list '{Path.GetFullPath(resourcesFile)}' does not exist; run from the repository root or pass --resources.");
    return 2;
}
try
{
    var schema = AwsPackageSchema.Load(positional[0]);
    var files = CSharpGenerator.Generate(schema, CSharpGenerator.ReadResourceList(File.ReadAllText(resourcesFile)));
    var output = positional[1];
    Directory.CreateDirectory(output);
    foreach (var stale in Directory.EnumerateFiles(output, "*.g.cs").Where(f => !files.ContainsKey(Path.GetFileName(f))))
    {
        File.Delete(stale);
        Console.Error.WriteLine($"deleted {stale}");
    }
    var written = 0;
    foreach (var (name, content) in files)
    {
        var path = Path.Combine(output, name);
        if (File.Exists(path) && File.ReadAllText(path) == content) continue;
        File.WriteAllText(path, content);
        written++;
        Console.Error.WriteLine($"wrote {path}");
    }
    Console.Error.WriteLine($"{files.Count} files ({written} changed) for @pulumi/aws {schema.Version}");
    return 0;
}
catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
