using Platform.LambdaPackager;

// Usage: dotnet Platform.LambdaPackager.dll <manifest> <zip>
// The manifest has one file a line: "<entry name>\t<source path>" (written by functions/Lambda.targets).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Platform.LambdaPackager <manifest> <zip>: the manifest lists '<entry name><TAB><source path>', one file a line");
    return 2;
}

try
{
    var files = File.ReadAllLines(args[0])
        .Where(line => line.Length > 0)
        .Select(line => line.Split('\t') is [var entry, var source]
            ? new PackageFile(entry, source)
            : throw new ArgumentException($"{args[0]}: line '{line}' is not '<entry name><TAB><source path>'"))
        .ToList();
    DeterministicZip.Write(files, args[1]);
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
