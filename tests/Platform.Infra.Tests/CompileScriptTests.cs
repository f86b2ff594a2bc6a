using System.Diagnostics;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// The build-when-stale logic of infra/compile.sh, run on a copy of the script in a throw-away tree with a stand-in
/// `dotnet` first on PATH (it logs its arguments, prints restore noise on stdout and "publishes" a program that prints
/// a template). The real publish is covered by <see cref="CompilerCommandTests"/>, which runs the real command.
/// </summary>
public sealed class CompileScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("platform-compile-sh-").FullName;
    private string Infra => Path.Combine(_root, "infra");
    private string Program => Path.Combine(_root, "artifacts", "compiler", "Platform.Infra");
    private string Package => Path.Combine(_root, "artifacts", "functions", "ingest.zip");
    private string CallLog => Path.Combine(_root, "dotnet-calls.log");

    public CompileScriptTests()
    {
        Directory.CreateDirectory(Infra);
        File.Copy(Path.Combine(TestStacks.RepoRoot, "infra", "compile.sh"), Path.Combine(Infra, "compile.sh"));
        File.WriteAllText(Path.Combine(Infra, "Platform.Infra.csproj"), "<Project />\n");
        File.WriteAllText(Path.Combine(Infra, "Program.cs"), "// v1\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />\n");
        Directory.CreateDirectory(Path.Combine(_root, "functions", "Platform.Ingest"));
        File.WriteAllText(Path.Combine(_root, "functions", "Platform.Ingest", "Platform.Ingest.csproj"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "functions", "Platform.Ingest", "Function.cs"), "// v1\n");
        File.WriteAllText(Path.Combine(_root, "functions", "Lambda.targets"), "<Project />\n");
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        // The stand-in publish takes a moment, so that two first runs overlap. Its build writes the function's
        // package the way functions/Lambda.targets does: only when it has none (an unchanged zip keeps its time stamp).
        WriteDotnet($$"""
            #!/bin/sh
            echo "$*" >> '{{CallLog}}'
            echo "warning NU1603: restore noise on stdout"
            sleep 1
            if [ "$1" = build ]; then
              mkdir -p '{{Path.GetDirectoryName(Package)}}'
              [ -f '{{Package}}' ] || echo zip > '{{Package}}'
              exit 0
            fi
            out=; prev=
            for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
            mkdir -p "$out"
            printf '#!/bin/sh\necho "name: platform"\necho "stack: $PULUMI_STACK"\n' > "$out/Platform.Infra"
            chmod +x "$out/Platform.Infra"
            """);
    }

    private void WriteDotnet(string script)
    {
        var path = Path.Combine(_root, "bin", "dotnet");
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    private string[] Publishes => [.. Calls.Where(c => c.StartsWith("publish ", StringComparison.Ordinal))];

    private string[] Builds => [.. Calls.Where(c => c.StartsWith("build ", StringComparison.Ordinal))];

    private Process Start()
    {
        var start = new ProcessStartInfo("sh") { WorkingDirectory = Infra, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("compile.sh");
        start.Environment["PATH"] = $"{Path.Combine(_root, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["PULUMI_STACK"] = "dev";
        return Process.Start(start)!;
    }

    private static CompilerProcess.Run Wait(Process process)
    {
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CompilerProcess.Run(process.ExitCode, stdout, stderr.Result);
    }

    private CompilerProcess.Run Run()
    {
        using var process = Start();
        return Wait(process);
    }

    [Fact]
    public void The_first_run_publishes_the_program_with_build_output_on_stderr_and_only_the_template_on_stdout()
    {
        var run = Run();

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("name: platform\nstack: dev\n", run.Stdout);
        Assert.Contains("building the compiler", run.Stderr);
        Assert.Contains("NU1603", run.Stderr);
        var publish = Assert.Single(Publishes);
        Assert.StartsWith($"publish {Path.Combine(Infra, "Platform.Infra.csproj")} -c Release -o {Path.Combine(_root, "artifacts", "compiler")}", publish);
    }

    [Fact]
    public void A_missing_function_package_is_built_in_release_with_its_output_on_stderr()
    {
        var run = Run();

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("name: platform\nstack: dev\n", run.Stdout);
        Assert.Contains("building the ingestion function's package", run.Stderr);
        var build = Assert.Single(Builds);
        Assert.StartsWith($"build {Path.Combine(_root, "functions", "Platform.Ingest", "Platform.Ingest.csproj")} -c Release", build);
        Assert.True(File.Exists(Package));
    }

    [Theory]
    [InlineData("functions/Platform.Ingest/Function.cs", 1)]
    [InlineData("functions/Platform.Ingest/Platform.Ingest.csproj", 1)]
    [InlineData("functions/Lambda.targets", 1)]
    [InlineData("Directory.Packages.props", 2)]
    public void A_function_source_newer_than_the_package_builds_it_once_even_when_the_zip_is_unchanged(string source, int publishes)
    {
        Run();
        // Sources from before the outputs, the outputs from a while ago, then the one source changed since.
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-10));
        File.SetLastWriteTimeUtc(Package, DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(Program, DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(Path.Combine(_root, source), DateTime.UtcNow.AddMinutes(-1));

        Run();
        var third = Run();

        Assert.Equal("name: platform\nstack: dev\n", third.Stdout);
        Assert.Equal("", third.Stderr);
        Assert.Equal(2, Builds.Length);
        // A function source does not republish the compiler; the root props feed both.
        Assert.Equal(publishes, Publishes.Length);
    }

    [Fact]
    public void A_function_that_does_not_build_says_what_to_do_and_prints_no_template()
    {
        Run();
        File.Delete(Package);
        WriteDotnet("#!/bin/sh\necho 'error CS1002: ; expected'\nexit 1\n");

        var run = Run();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("error CS1002", run.Stderr);
        Assert.Contains("the ingestion function (functions/Platform.Ingest) does not build; fix the errors above", run.Stderr);
    }

    [Fact]
    public void A_fresh_program_runs_without_building()
    {
        Run();
        var run = Run();

        Assert.Equal("name: platform\nstack: dev\n", run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.Single(Publishes);
        Assert.Single(Builds);
    }

    [Theory]
    [InlineData("infra/Program.cs")]
    [InlineData("infra/Platform.Infra.csproj")]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    public void A_source_newer_than_the_program_publishes_it_again(string source)
    {
        Run();
        File.SetLastWriteTimeUtc(Program, DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(Path.Combine(_root, source), DateTime.UtcNow.AddMinutes(-1));

        var run = Run();

        Assert.Equal("name: platform\nstack: dev\n", run.Stdout);
        Assert.Equal(2, Publishes.Length);
    }

    [Fact]
    public void Stacks_compiled_side_by_side_on_a_fresh_clone_publish_once()
    {
        using var first = Start();
        using var second = Start();

        var runs = new[] { Wait(first), Wait(second) };

        Assert.All(runs, r => Assert.Equal("name: platform\nstack: dev\n", r.Stdout));
        Assert.Single(Publishes);
        Assert.Single(Builds);
    }

    [Fact]
    public void A_failed_build_says_what_to_do_and_prints_no_template()
    {
        WriteDotnet("#!/bin/sh\necho 'error CS1002: ; expected'\nexit 1\n");

        var run = Run();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("error CS1002", run.Stderr);
        Assert.Contains("the Platform compiler (infra/) does not build; fix the errors above", run.Stderr);
    }

    [Fact]
    public void A_failed_publish_that_still_wrote_the_program_is_not_run_by_the_next_compile()
    {
        // The native toolchain can report errors after it wrote the executable (ilc "exited with return value 0, but
        // errors were detected"): the next run must publish again, not run what the failed build left behind.
        var good = File.ReadAllText(Path.Combine(_root, "bin", "dotnet"));
        WriteDotnet($$"""
            #!/bin/sh
            echo "$*" >> '{{CallLog}}'
            [ "$1" = build ] && exit 0
            mkdir -p '{{Path.GetDirectoryName(Program)}}'
            printf '#!/bin/sh\necho "name: stale"\n' > '{{Program}}'
            chmod +x '{{Program}}'
            echo 'error IL3050: trimming'
            exit 1
            """);
        Assert.Equal(1, Run().ExitCode);

        WriteDotnet(good);
        var next = Run();

        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Equal("name: platform\nstack: dev\n", next.Stdout);
        Assert.Equal(2, Publishes.Length);
    }
}
