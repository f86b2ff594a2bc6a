using System.IO.Compression;

namespace Platform.LambdaPackager;

/// <summary>One file of a deployment package: where it lands in the zip, and where it is read from.</summary>
public sealed record PackageFile(string EntryName, string SourcePath);

/// <summary>
/// Writes a zip whose bytes depend only on the entry names and the files' contents: entries sorted by name
/// (ordinal), every timestamp the zip format's earliest (1980-01-01 00:00), every file mode 0644 (Lambda needs
/// files readable by all: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-package.html), no
/// directory entries. Build machines' clocks, umasks and file-system enumeration orders so leave no trace, and
/// the same inputs give the same SHA-256, which is what keeps an unchanged function from being redeployed.
/// </summary>
public static class DeterministicZip
{
    /// <summary>The earliest time a zip entry can carry (MS-DOS date format).</summary>
    public static readonly DateTimeOffset FixedTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Unix mode of every entry: regular file, rw-r--r--, in the high 16 bits of the external attributes.</summary>
    public const int UnixFileMode = 0b1_000_000_110_100_100; // S_IFREG | 0644

    /// <summary>Writes <paramref name="files"/> to <paramref name="zipPath"/> (replaced atomically).</summary>
    public static void Write(IEnumerable<PackageFile> files, string zipPath)
    {
        var entries = files.Select(f => f with { EntryName = f.EntryName.Replace('\\', '/') }).ToList();
        var problems = Problems(entries);
        if (problems.Count > 0)
            throw new ArgumentException($"cannot package {zipPath}: {string.Join("; ", problems)}", nameof(files));

        var directory = Path.GetDirectoryName(Path.GetFullPath(zipPath))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(zipPath)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var file in entries.OrderBy(f => f.EntryName, StringComparer.Ordinal))
                {
                    var entry = zip.CreateEntry(file.EntryName, CompressionLevel.Optimal);
                    entry.LastWriteTime = FixedTimestamp;
                    entry.ExternalAttributes = UnixFileMode << 16;
                    using var source = File.OpenRead(file.SourcePath);
                    using var target = entry.Open();
                    source.CopyTo(target);
                }
            }
            File.Move(temporary, zipPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static List<string> Problems(List<PackageFile> entries)
    {
        var problems = new List<string>();
        if (entries.Count == 0) problems.Add("no files to package");
        foreach (var file in entries)
        {
            if (file.EntryName.Length == 0 || file.EntryName.StartsWith('/') || file.EntryName.Split('/').Contains(".."))
                problems.Add($"entry name '{file.EntryName}' must be a relative path inside the package");
            if (!File.Exists(file.SourcePath))
                problems.Add($"'{file.SourcePath}' (entry '{file.EntryName}') does not exist");
        }
        foreach (var duplicate in entries.GroupBy(f => f.EntryName, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"entry '{duplicate.Key}' comes from {duplicate.Count()} files: {string.Join(", ", duplicate.Select(f => f.SourcePath))}");
        return problems;
    }
}
