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
public static class CSharpGenerator
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

    // ---- writing ------------------------------------------------------------------------------------------------

    private static string WriteModule(AwsPackageSchema schema, ModuleContent module)
    {
        var ns = $"{RootNamespace}.{ModuleName(module.Module)}";
        var w = new StringBuilder();
        w.Append("// <auto-generated>Generated by tools/TypeGen from @pulumi/aws ").Append(schema.Version).Append(". Do not edit.</auto-generated>\n");
        w.Append("#nullable enable\n\n");
        w.Append("namespace ").Append(ns).Append("\n{\n");
        w.Append("    using Platform.Infra.Model;\n");
        foreach (var r in module.Resources.OrderBy(r => r.ClassName, StringComparer.Ordinal))
        {
            w.Append('\n');
            WriteArgs(w, module.Module, r);
            w.Append('\n');
            WriteResourceClass(w, r);
        }
        foreach (var t in module.Types.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            w.Append('\n');
            WriteInputObject(w, module.Module, t);
        }
        w.Append("}\n\n");
        w.Append("namespace ").Append(RootNamespace).Append("\n{\n");
        w.Append("    using Platform.Infra.Model;\n\n");
        w.Append("    public static partial class ScopeExtensions\n    {\n");
        var first = true;
        foreach (var r in module.Resources.OrderBy(r => r.ClassName, StringComparer.Ordinal))
        {
            if (!first) w.Append('\n');
            first = false;
            var cls = $"global::{ns}.{r.ClassName}";
            w.Append("        /// <summary>Adds a <c>").Append(Xml(r.Token)).Append("</c> to the template, named and tagged by the scope.</summary>\n");
            w.Append("        public static ").Append(cls).Append(" Add(this ComponentScope scope, string role, ")
                .Append(cls).Append("Args args, ResourceOptions? options = null) =>\n");
            w.Append("            scope.Register(role, args, options, (n, a, o) => new ").Append(cls).Append("(n, a, o));\n");
        }
        w.Append("    }\n}\n");
        return w.ToString();
    }

    private sealed record Member(PropertySchema Property, string CsName);

    /// <summary>PascalCase names for <paramref name="properties"/>, with clashes resolved (see the class remarks).</summary>
    private static List<Member> NameMembers(IEnumerable<PropertySchema> properties, string typeName, ISet<string> reserved, string reservedSuffix, string where)
    {
        var list = properties.ToList();
        var natural = list.Select(p => Pascal(p.Name, where)).ToList();
        var taken = new HashSet<string>(natural, StringComparer.Ordinal);
        var result = new List<Member>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var name = natural[i];
            if (name == typeName)
                name = taken.Contains(name + "Name") ? name + "Value" : name + "Name";
            else if (reserved.Contains(name))
                name += reservedSuffix;
            if (!used.Add(name))
                throw new InvalidOperationException($"{where}: two properties map to the C# name '{name}'.");
            result.Add(new Member(list[i], name));
        }
        return result;
    }

    private static string Pascal(string name, string where)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new InvalidOperationException($"{where}: property '{name}' is not a valid C# identifier.");
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    private static void WriteArgs(StringBuilder w, string module, ResourceSchema r)
    {
        var name = r.ClassName + "Args";
        var members = NameMembers(GeneratedInputs(r.Inputs), name, RecordMembers, "Value", r.Token);
        var taggable = members.Any(m => m.CsName == "Tags" && m.Property.Type is MapTypeRef { Value: PrimitiveTypeRef { Kind: PrimitiveKind.String } });
        w.Append("    /// <summary>Inputs of <c>").Append(Xml(r.Token)).Append("</c>.</summary>\n");
        w.Append("    public sealed record ").Append(name).Append(" : ")
            .Append(taggable ? $"ITaggableArgs<{name}>" : "IResourceArgs").Append("\n    {\n");
        WriteInputProperties(w, module, members);
        if (taggable)
            w.Append("        public ").Append(name).Append(" WithTags(InputMap<string> tags) => this with { Tags = tags };\n\n");
        WriteToValue(w, members);
        w.Append("    }\n");
    }

    private static void WriteInputObject(StringBuilder w, string module, ObjectTypeSchema t)
    {
        var members = NameMembers(GeneratedInputs(t.Properties), t.Name, RecordMembers, "Value", "input type " + t.QualifiedName);
        w.Append("    /// <summary>").Append(Xml(t.Doc ?? $"The input type {t.QualifiedName}.")).Append("</summary>\n");
        w.Append("    public sealed record ").Append(t.Name).Append(" : IInputObject\n    {\n");
        WriteInputProperties(w, module, members);
        WriteToValue(w, members);
        w.Append("    }\n");
    }

    private static void WriteInputProperties(StringBuilder w, string module, List<Member> members)
    {
        foreach (var m in members)
        {
            var p = m.Property;
            WriteDoc(w, p);
            w.Append("        public ");
            if (p.Required) w.Append("required ");
            w.Append(InputType(p.Type, module));
            if (!p.Required) w.Append('?');
            w.Append(' ').Append(m.CsName).Append(" { get; init; }\n\n");
        }
    }

    private static void WriteToValue(StringBuilder w, List<Member> members)
    {
        if (members.Count == 0)
        {
            w.Append("        public Value ToValue() => Render.Object();\n");
            return;
        }
        w.Append("        public Value ToValue() => Render.Object(\n");
        for (var i = 0; i < members.Count; i++)
        {
            w.Append("            Render.Prop(\"").Append(members[i].Property.Name).Append("\", ").Append(members[i].CsName).Append(')');
            w.Append(i < members.Count - 1 ? ",\n" : ");\n");
        }
    }

    private static void WriteResourceClass(StringBuilder w, ResourceSchema r)
    {
        w.Append("    /// <summary>").Append(Xml(r.Doc ?? "A resource.")).Append(" (<c>").Append(Xml(r.Token)).Append("</c>)</summary>\n");
        w.Append("    public sealed class ").Append(r.ClassName).Append(" : Resource\n    {\n");
        w.Append("        public const string PulumiType = \"").Append(r.Token).Append("\";\n\n");
        w.Append("        public ").Append(r.ClassName).Append('(').Append("string name, ").Append(r.ClassName)
            .Append("Args args, ResourceOptions? options = null)\n            : base(name, PulumiType, args, options, AwsProvider.Version)\n        {\n        }\n");
        foreach (var m in NameMembers(r.Outputs, r.ClassName, ResourceMembers, "Output", r.Token))
        {
            w.Append('\n');
            WriteDoc(w, m.Property);
            var type = OutputType(m.Property.Type);
            w.Append("        public Output<").Append(type).Append("> ").Append(m.CsName)
                .Append(" => Out<").Append(type).Append(">(\"").Append(m.Property.Name).Append("\");\n");
        }
        w.Append("    }\n");
    }

    private static void WriteDoc(StringBuilder w, PropertySchema p)
    {
        var text = p.Doc;
        if (p.IsDeprecated) text = (text is null ? "" : text + " ") + "Deprecated: " + p.Deprecation;
        if (text is null) return;
        w.Append("        /// <summary>").Append(Xml(text)).Append("</summary>\n");
    }

    /// <summary>The C# type of an input property.</summary>
    private static string InputType(TypeRef type, string module) => type switch
    {
        ListTypeRef l => $"InputList<{Element(l.Element, module)}>",
        MapTypeRef m => $"InputMap<{Element(m.Value, module)}>",
        _ => $"Input<{Element(type, module)}>",
    };

    /// <summary>The type argument of Input/InputList/InputMap.</summary>
    private static string Element(TypeRef type, string module) => type switch
    {
        PrimitiveTypeRef { Kind: PrimitiveKind.String } => "string",
        PrimitiveTypeRef { Kind: PrimitiveKind.Number } => "double",
        PrimitiveTypeRef { Kind: PrimitiveKind.Boolean } => "bool",
        ObjectTypeRef o => ObjectName(o, module),
        // string | PolicyDocument and the like: the string form (written with fn::toJSON).
        UnionTypeRef u when u.Members.Contains(PrimitiveTypeRef.String) && u.Members.All(m => m is PrimitiveTypeRef { Kind: PrimitiveKind.String } or ObjectTypeRef)
            => "string",
        _ => "Value",
    };

    private static string ObjectName(ObjectTypeRef o, string module)
    {
        var dot = o.QualifiedName.LastIndexOf('.');
        var typeModule = dot < 0 ? "" : o.QualifiedName[..dot];
        var name = o.QualifiedName[(dot + 1)..];
        return typeModule == module ? name : $"global::{RootNamespace}.{ModuleName(typeModule)}.{name}";
    }

    /// <summary>The type argument of an output's <c>Output&lt;T&gt;</c>.</summary>
    private static string OutputType(TypeRef type) => type switch
    {
        ListTypeRef l => OutputScalar(l.Element) + "[]",
        MapTypeRef m => $"global::System.Collections.Generic.IReadOnlyDictionary<string, {OutputScalar(m.Value)}>",
        _ => OutputScalar(type),
    };

    private static string OutputScalar(TypeRef type) => type switch
    {
        PrimitiveTypeRef { Kind: PrimitiveKind.String } => "string",
        PrimitiveTypeRef { Kind: PrimitiveKind.Number } => "double",
        PrimitiveTypeRef { Kind: PrimitiveKind.Boolean } => "bool",
        UnionTypeRef u when u.Members.Contains(PrimitiveTypeRef.String) => "string",
        _ => "object",
    };

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
