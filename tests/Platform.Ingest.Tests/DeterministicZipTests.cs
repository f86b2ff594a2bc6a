using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Platform.LambdaPackager;

namespace Platform.Ingest.Tests;

public sealed class DeterministicZipTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("lambda-zip-");

    public void Dispose() => work.Delete(recursive: true);

    private static readonly (string Entry, string Content)[] Files =
    [
        ("Function.dll", "MZ pretend assembly"),
        ("Function.deps.json", """{"runtimeTarget": {}}"""),
        ("runtimes/linux-x64/native/lib.so", "ELF"),
        ("Function.runtimeconfig.json", """{"runtimeOptions": {}}"""),
    ];

    /// <summary>Writes <see cref="Files"/> into a fresh folder in the given order, with the given time and mode on each file.</summary>
    private List<PackageFile> Checkout(string name, IEnumerable<(string Entry, string Content)> files, DateTime modified, UnixFileMode mode)
    {
        var root = work.CreateSubdirectory(name);
        var written = new List<PackageFile>();
        foreach (var (entry, content) in files)
        {
            var path = Path.Combine(root.FullName, entry);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, modified);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
            written.Add(new PackageFile(entry, path));
        }
        return written;
    }

    private string Zip(string name, IEnumerable<PackageFile> files)
    {
        var path = Path.Combine(work.FullName, name);
        DeterministicZip.Write(files, path);
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void The_same_files_give_the_same_bytes_whatever_their_order_timestamps_and_modes()
    {
        var first = Zip("first.zip", Checkout("a", Files, new DateTime(2026, 1, 8, 10, 0, 0, DateTimeKind.Utc), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
        var second = Zip("second.zip", Checkout("b", Files.Reverse(), new DateTime(2031, 7, 1, 23, 59, 58, DateTimeKind.Utc), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).AsEnumerable().Reverse());

        Assert.Equal(Sha256(first), Sha256(second));
    }

    [Fact]
    public void A_changed_file_changes_the_package()
    {
        var modified = DateTime.UtcNow;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var before = Zip("before.zip", Checkout("a", Files, modified, mode));
        var after = Zip("after.zip", Checkout("b", Files.Select(f => f.Entry == "Function.dll" ? (f.Entry, "MZ pretend assembly, v2") : f), modified, mode));

        Assert.NotEqual(Sha256(before), Sha256(after));
    }

    [Fact]
    public void Entries_are_sorted_files_with_a_fixed_timestamp_and_mode_0644()
    {
        var path = Zip("package.zip", Checkout("a", Files, DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite));

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(Files.Select(f => f.Entry).Order(StringComparer.Ordinal), zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e =>
        {
            Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), e.LastWriteTime.DateTime);
            Assert.Equal(Convert.ToInt32("100644", 8), e.ExternalAttributes >>> 16);
            using var reader = new StreamReader(e.Open());
            Assert.Equal(Files.Single(f => f.Entry == e.FullName).Content, reader.ReadToEnd());
        });
    }

    [Fact]
    public void Bad_input_is_refused_with_every_problem_and_nothing_is_written()
    {
        var files = Checkout("a", Files.Take(1), DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var zip = Path.Combine(work.FullName, "bad.zip");

        var error = Assert.Throws<ArgumentException>(() => DeterministicZip.Write(
            [.. files, new PackageFile("Function.dll", files[0].SourcePath), new PackageFile("../escape.txt", files[0].SourcePath), new PackageFile("gone.json", "/nonexistent/gone.json")], zip));

        Assert.Contains("entry 'Function.dll' comes from 2 files", error.Message);
        Assert.Contains("entry name '../escape.txt' must be a relative path inside the package", error.Message);
        Assert.Contains("'/nonexistent/gone.json' (entry 'gone.json') does not exist", error.Message);
        Assert.False(File.Exists(zip));
        Assert.Equal(["a"], work.GetFileSystemInfos().Select(i => i.Name));
    }

    private (int ExitCode, string Stderr) RunPackager(string manifest, string zip)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { typeof(DeterministicZip).Assembly.Location, manifest, zip })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }

    [Fact]
    public void The_packager_command_packs_the_files_of_a_manifest_the_way_the_build_runs_it()
    {
        var files = Checkout("a", Files, DateTime.UtcNow, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var manifest = Path.Combine(work.FullName, "files.txt");
        File.WriteAllLines(manifest, files.Select(f => $"{f.EntryName}\t{f.SourcePath}"));

        var (exitCode, stderr) = RunPackager(manifest, Path.Combine(work.FullName, "out", "function.zip"));

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(Sha256(Zip("direct.zip", files)), Sha256(Path.Combine(work.FullName, "out", "function.zip")));
    }

    [Fact]
    public void The_packager_command_names_a_malformed_manifest_line()
    {
        var manifest = Path.Combine(work.FullName, "files.txt");
        File.WriteAllText(manifest, "Function.dll with no tab\n");

        var (exitCode, stderr) = RunPackager(manifest, Path.Combine(work.FullName, "function.zip"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"error: {manifest}: line 'Function.dll with no tab' is not '<entry name><TAB><source path>'", stderr);
    }
}
