using Platform.Automation.Stacks;
using Platform.Infra;

// Minimal offline plan (the console issue grows this into the full `platform` console):
// compile every stack in-process, the same code path Pulumi runs, and print what each would deploy.
var layout = ProjectLayout.Discover(Directory.GetCurrentDirectory());
var failed = 0;
foreach (var stack in layout.Stacks)
{
    var config = layout.ReadStack(stack);
    var result = StackCompiler.Compile(new CompileRequest(layout.ProjectName, stack, config.Values, layout.RootDirectory));
    if (!result.Succeeded)
    {
        Console.Error.WriteLine(result.Error!.Message);
        failed++;
        continue;
    }
    var resources = result.Template!.Resources;
    Console.WriteLine($"{stack}: {resources.Count} resources");
    foreach (var group in resources.GroupBy(r => r.TypeToken).OrderBy(g => g.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {group.Count(),4}  {group.Key}");
}
return failed == 0 ? 0 : 2;
