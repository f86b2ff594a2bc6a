using System.Text;
using Platform.AwsSchema;

namespace Platform.TypeGen;

/// <summary>
/// Writes typed C# inputs and outputs for a list of @pulumi/aws resource tokens: one file per module
/// (<c>Ec2.g.cs</c>), targeting the runtime model of <c>infra/Model</c>. Same schema and tokens, same bytes.
/// </summary>
/// <remarks>
/// Deprecated optional inputs (e.g. the inline <c>versioning</c> of <c>aws:s3/bucket:Bucket</c>) are left out, so
/// components use the replacement resources; they are still valid in templates, so the conformance checker accepts them.
/// </remarks>
public static partial class CSharpGenerator
{
    public const string RootNamespace = "Platform.Infra.Aws";

    /// <summary>Module folders whose PascalCase name is not a plain capitalisation.</summary>
    private static readonly IReadOnlyDictionary<string, string> ModuleNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["appautoscaling"] = "AppAutoScaling",
        ["cloudfront"] = "CloudFront",
        ["cloudtrail"] = "CloudTrail",
        ["cloudwatch"] = "CloudWatch",
        ["guardduty"] = "GuardDuty",
        ["secretsmanager"] = "SecretsManager",
        ["securityhub"] = "SecurityHub",
        [""] = "Index",
    };

    /// <summary>Names the generated code uses unqualified: a generated type with one of them would shadow it.</summary>
    private static readonly HashSet<string> ReservedTypeNames = new(StringComparer.Ordinal)
    {
        "Value", "Input", "InputList", "InputMap", "Output", "Render", "Resource", "ResourceOptions", "IInputObject",
        "IResourceArgs", "ITaggableArgs", "ComponentScope", "AwsProvider", "ScopeExtensions", "IReadOnlyDictionary",
        "String", "Object", "Boolean", "Double",
    };

    /// <summary>Members every generated record has (or inherits), which a property must not be named.</summary>
    private static readonly HashSet<string> RecordMembers = new(StringComparer.Ordinal)
    {
        "ToValue", "WithTags", "Render", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers",
        "GetType", "MemberwiseClone", "Finalize", "Deconstruct",
    };

    /// <summary>Members of <c>Resource</c> (and object): an output named like one gets the suffix <c>Output</c>.</summary>
    private static readonly HashSet<string> ResourceMembers = new(StringComparer.Ordinal)
    {
        "LogicalName", "TypeToken", "Args", "Options", "ProviderVersion", "Self", "Id", "Urn", "Out", "PulumiType",
        "AwsProvider", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize",
    };

    public static string ModuleName(string module) =>
        ModuleNames.TryGetValue(module, out var name) ? name : char.ToUpperInvariant(module[0]) + module[1..];

    /// <summary>Reads a resources list: one token per line, <c>#</c> starts a comment, blank lines ignored.</summary>
    public static IReadOnlyList<string> ReadResourceList(string text) =>
        text.Split('\n')
            .Select(l => (l.IndexOf('#') is var hash and >= 0 ? l[..hash] : l).Trim())
            .Where(l => l.Length > 0)
            .ToArray();

    /// <summary>Generates the files (name → content) for <paramref name="tokens"/>.</summary>
    /// <exception cref="InvalidOperationException">An unknown or duplicate token, or a name collision.</exception>
    public static IReadOnlyDictionary<string, string> Generate(AwsPackageSchema schema, IEnumerable<string> tokens)
    {
        var resources = new List<ResourceSchema>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var token in tokens)
        {
            if (!seenTokens.Add(token)) { problems.Add($"'{token}' is listed twice."); continue; }
            var resource = schema.Resource(token);
            if (resource is null)
            {
                var canonical = schema.CanonicalToken(token);
                problems.Add(canonical is null
                    ? $"'{token}' is not a resource of @pulumi/aws {schema.Version}."
                    : $"'{token}' is not canonical: list '{canonical}'.");
                continue;
            }
            resources.Add(resource);
        }
        if (problems.Count > 0) throw new InvalidOperationException("Cannot generate: " + string.Join(" ", problems));

        // The nested input types the generated properties reach, transitively.
        var nested = new SortedDictionary<string, ObjectTypeSchema>(StringComparer.Ordinal);
        var queue = new Queue<ObjectTypeSchema>();
        void Reach(TypeRef type, string where)
        {
            foreach (var reference in ReferencedObjects(type))
            {
                if (nested.ContainsKey(reference.QualifiedName)) continue;
                var found = schema.InputType(reference.QualifiedName)
                            ?? throw new InvalidOperationException($"{where} refers to input type '{reference.QualifiedName}', which the package does not declare.");
                nested.Add(reference.QualifiedName, found);
                queue.Enqueue(found);
            }
        }
        foreach (var resource in resources)
            foreach (var p in GeneratedInputs(resource.Inputs))
                Reach(p.Type, $"{resource.Token}.{p.Name}");
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            foreach (var p in GeneratedInputs(type.Properties))
                Reach(p.Type, $"{type.QualifiedName}.{p.Name}");
        }

        // Group by module and check names.
        var modules = new SortedDictionary<string, ModuleContent>(StringComparer.Ordinal);
        ModuleContent Module(string module)
        {
            if (!modules.TryGetValue(module, out var content)) modules[module] = content = new ModuleContent(module);
            return content;
        }
        foreach (var r in resources)
        {
            var m = Module(r.Module);
            m.Claim(r.ClassName, r.Token);
            m.Claim(r.ClassName + "Args", r.Token);
            m.Resources.Add(r);
        }
        foreach (var type in nested.Values)
        {
            var m = Module(type.Module);
            m.Claim(type.Name, "input type " + type.QualifiedName);
            m.Types.Add(type);
        }
        var collisions = modules.Values.SelectMany(m => m.Collisions).ToList();
        if (collisions.Count > 0) throw new InvalidOperationException("Name collisions: " + string.Join(" ", collisions));

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in modules.Values)
            files[ModuleName(module.Module) + ".g.cs"] = WriteModule(schema, module);
        return files;
    }

    /// <summary>The inputs that get a C# property: all but deprecated optional ones.</summary>
    private static IEnumerable<PropertySchema> GeneratedInputs(IEnumerable<PropertySchema> properties) =>
        properties.Where(p => p.Required || !p.IsDeprecated);

    private static IEnumerable<ObjectTypeRef> ReferencedObjects(TypeRef type)
    {
        // Only the types a generated property exposes as a record: unions become string or Value.
        switch (type)
        {
            case ObjectTypeRef o: yield return o; break;
            case ListTypeRef { Element: ObjectTypeRef o }: yield return o; break;
            case MapTypeRef { Value: ObjectTypeRef o }: yield return o; break;
        }
    }

    private sealed class ModuleContent(string module)
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        public string Module { get; } = module;
        public List<ResourceSchema> Resources { get; } = [];
        public List<ObjectTypeSchema> Types { get; } = [];
        public List<string> Collisions { get; } = [];

        public void Claim(string name, string owner)
        {
            var ns = $"{RootNamespace}.{ModuleName(Module)}";
            if (ReservedTypeNames.Contains(name))
                Collisions.Add($"{ns}.{name} (from {owner}) would hide the runtime model's {name}.");
            else if (!_names.TryAdd(name, owner))
                Collisions.Add($"{ns}.{name} is wanted by both {_names[name]} and {owner}.");
        }
    }
}
