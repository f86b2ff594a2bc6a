using System.Text.Json;
using Platform.Infra;

// The Pulumi YAML compiler: Pulumi runs this with the stack's name and config in the environment and deploys the
// template it prints. Stdout carries the template and nothing else; every message goes to stderr.
var stack = Environment.GetEnvironmentVariable("PULUMI_STACK");
var project = Environment.GetEnvironmentVariable("PULUMI_PROJECT") is { Length: > 0 } p ? p : "platform";
var root = Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY") is { Length: > 0 } r ? r : null;

Dictionary<string, string> config = [];
if (!string.IsNullOrEmpty(stack))
{
    var json = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
    if (!string.IsNullOrEmpty(json))
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
            foreach (var property in document.RootElement.EnumerateObject())
                config[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }
        catch (JsonException e)
        {
            // The text holds decrypted secrets: report where it broke, never what it says.
            Console.Error.WriteLine($"error: stack '{stack}': PULUMI_CONFIG is not a JSON object of strings{(e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine})" : "")}; nothing was generated.");
            Console.Error.WriteLine("    fix: run the compiler through pulumi (pulumi preview --stack <stack>), which sets PULUMI_CONFIG from Pulumi.<stack>.yaml.");
            return 2;
        }
    }
}
else stack = null;

var result = StackCompiler.Compile(new CompileRequest(project, stack, config, root));
if (!result.Succeeded)
{
    Console.Error.WriteLine(result.ErrorMessage);
    return 2;
}

using var stdout = Console.OpenStandardOutput();
stdout.Write(System.Text.Encoding.UTF8.GetBytes(result.Text!));
return 0;
