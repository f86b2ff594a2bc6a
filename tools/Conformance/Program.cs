using System.Diagnostics;
using Platform.AwsSchema;
using Platform.Conformance;

// Usage: Platform.Conformance --aws <@pulumi/aws dir> [--version <x.y.z>] <template files...>
// Prints every problem as "<file>: <location> (line N): <message>", then "N templates, N problems". Exit 1 on problems.
string? awsDir = null, version = null;
var files = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--aws" when i + 1 < args.Length: awsDir = args[++i]; break;
        case "--version" when i + 1 < args.Length: version = args[++i]; break;
        case "-h" or "--help":
            Console.WriteLine("usage: Platform.Conformance --aws conformance/node_modules/@pulumi/aws [--version 7.48.0] <template files...>");
            return 0;
        default:
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"error: unknown option '{args[i]}'");
                return 2;
            }
            files.Add(args[i]);
            break;
    }
}
if (awsDir is null || files.Count == 0)
{
    Console.Error.WriteLine("usage: Platform.Conformance --aws conformance/node_modules/@pulumi/aws [--version 7.48.0] <template files...>");
    return 2;
}
AwsPackageSchema schema;
try
{
    if (!Directory.Exists(awsDir))
        throw new DirectoryNotFoundException($"'{awsDir}' does not exist: run `npm ci --ignore-scripts --prefix conformance` first.");
    schema = AwsPackageSchema.Load(awsDir);
    version ??= PinnedVersion.Read(awsDir);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
var total = 0;
var watch = Stopwatch.StartNew();
foreach (var file in files)
{
    string text;
    try
    {
        text = File.ReadAllText(file);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.WriteLine($"{file}: cannot read: {e.Message}");
        total++;
        continue;
    }
    foreach (var problem in ConformanceChecker.Check(text, schema, version))
    {
        Console.WriteLine($"{file}: {problem}");
        total++;
    }
}
Console.WriteLine($"{files.Count} templates, {total} problems (@pulumi/aws {version}, {watch.ElapsedMilliseconds} ms)");
return total == 0 ? 0 : 1;
