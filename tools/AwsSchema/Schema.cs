namespace Platform.AwsSchema;

/// <summary>One property of a resource's inputs or outputs, or of a nested object type.</summary>
/// <param name="Name">The exact d.ts name (camelCase, as written in templates).</param>
/// <param name="Type">The parsed type.</param>
/// <param name="Required">No <c>?</c> in the declaration (for outputs: always false).</param>
/// <param name="Doc">The first sentence of the doc comment, or null.</param>
/// <param name="Deprecation">The <c>@deprecated</c> message, or null.</param>
public sealed record PropertySchema(string Name, TypeRef Type, bool Required, string? Doc, string? Deprecation)
{
    public bool IsDeprecated => Deprecation is not null;
}

/// <summary>A nested object type of <c>types/input.d.ts</c> or <c>types/output.d.ts</c>.</summary>
public sealed class ObjectTypeSchema
{
    private readonly Dictionary<string, PropertySchema> _byName;

    public ObjectTypeSchema(string module, string name, TypeSide side, IReadOnlyList<PropertySchema> properties, string? doc)
    {
        Module = module;
        Name = name;
        Side = side;
        Properties = properties;
        Doc = doc;
        _byName = new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
        foreach (var p in properties) _byName.TryAdd(p.Name, p);
    }

    /// <summary>The module (namespace of the types file), e.g. <c>s3</c>; empty for root types.</summary>
    public string Module { get; }

    public string Name { get; }

    public string QualifiedName => Module.Length == 0 ? Name : $"{Module}.{Name}";

    public TypeSide Side { get; }

    /// <summary>In declaration order (the d.ts files sort them).</summary>
    public IReadOnlyList<PropertySchema> Properties { get; }

    public string? Doc { get; }

    public PropertySchema? Property(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>A resource type: its class, inputs (<c>XArgs</c>) and outputs (<c>readonly x: pulumi.Output&lt;T&gt;</c>).</summary>
public sealed class ResourceSchema
{
    private readonly Dictionary<string, PropertySchema> _inputs;
    private readonly Dictionary<string, PropertySchema> _outputs;

    public ResourceSchema(string token, string className, string module, string definitionFile,
        IReadOnlyList<PropertySchema> inputs, IReadOnlyList<PropertySchema> outputs, string? doc, string? deprecation)
    {
        Token = token;
        ClassName = className;
        Module = module;
        DefinitionFile = definitionFile;
        Inputs = inputs;
        Outputs = outputs;
        Doc = doc;
        Deprecation = deprecation;
        _inputs = inputs.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _outputs = outputs.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The canonical type token, e.g. <c>aws:ec2/vpc:Vpc</c> (or <c>pulumi:providers:aws</c>).</summary>
    public string Token { get; }

    public string ClassName { get; }

    /// <summary>The module folder, e.g. <c>ec2</c> (empty for the provider).</summary>
    public string Module { get; }

    /// <summary>The d.ts file, relative to the package directory, e.g. <c>ec2/vpc.d.ts</c>.</summary>
    public string DefinitionFile { get; }

    public IReadOnlyList<PropertySchema> Inputs { get; }

    public IReadOnlyList<PropertySchema> Outputs { get; }

    public string? Doc { get; }

    public string? Deprecation { get; }

    public bool IsDeprecated => Deprecation is not null;

    public PropertySchema? Input(string name) => _inputs.GetValueOrDefault(name);

    public PropertySchema? Output(string name) => _outputs.GetValueOrDefault(name);
}
