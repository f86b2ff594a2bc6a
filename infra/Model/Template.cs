namespace Platform.Infra.Model;

/// <summary>A template <c>config:</c> declaration. Secrets are only ever referenced through one of these.</summary>
public sealed record ConfigDeclaration(string Type, bool Secret, Value? Default = null)
{
    internal MapValue ToValue() => MapValue.Ordered(
    [
        new("type", new StringValue(Type)),
        new("secret", Secret ? new BoolValue(true) : null),
        new("default", Default),
    ]);
}

/// <summary>A Pulumi YAML program: resources, config declarations and stack outputs.</summary>
public sealed class Template
{
    private readonly SortedDictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ConfigDeclaration> _config = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Value> _outputs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Value> _variables = new(StringComparer.Ordinal);

    public Template(string? description = null) => Description = description;

    public string? Description { get; }

    /// <summary>
    /// The top-level <c>name</c>: the project. Pulumi YAML refuses a compiled template without one unless the program
    /// directory holds a Main.json, Main.yaml or Pulumi.yaml naming it (pulumi-yaml, <c>LoadFromCompiler</c>), and ours
    /// holds none.
    /// </summary>
    public string? Name { get; init; }

    public IReadOnlyCollection<Resource> Resources => _resources.Values;

    public IReadOnlyDictionary<string, ConfigDeclaration> Config => _config;

    public IReadOnlyDictionary<string, Value> Outputs => _outputs;

    public T Add<T>(T resource) where T : Resource
    {
        if (_variables.ContainsKey(resource.LogicalName) || !_resources.TryAdd(resource.LogicalName, resource))
            throw new InvalidOperationException($"Two resources are named '{resource.LogicalName}'.");
        return resource;
    }

    public IReadOnlyDictionary<string, Value> Variables => _variables;

    /// <summary>A template variable (evaluated once by Pulumi), e.g. the result of an invoke; returns <c>${name}</c>.</summary>
    public Output<T> Variable<T>(string name, Value value)
    {
        if (_resources.ContainsKey(name) || !_variables.TryAdd(name, value))
            throw new InvalidOperationException($"'{name}' is already a resource or variable.");
        return Output.Reference<T>(name, "");
    }

    /// <summary>A variable shared by several components: created on first use, the same reference afterwards.</summary>
    public Output<T> SharedVariable<T>(string name, Func<Value> create) =>
        _variables.ContainsKey(name) ? Output.Reference<T>(name, "") : Variable<T>(name, create());

    public Resource? Find(string name) => _resources.GetValueOrDefault(name);

    public IEnumerable<T> OfType<T>() where T : Resource => _resources.Values.OfType<T>();

    public void Export<T>(string name, Output<T> value) => Export(name, value.Expression);

    public void Export(string name, Value value)
    {
        if (!_outputs.TryAdd(name, value)) throw new InvalidOperationException($"Two stack outputs are named '{name}'.");
    }

    /// <summary>
    /// A reference to a secret stack setting: declared in <c>config:</c> with <c>secret: true</c>, so its value
    /// never enters the template. <paramref name="key"/> is the key without the project prefix.
    /// </summary>
    public Output<string> SecretConfig(string key)
    {
        Declare(key, new ConfigDeclaration("String", Secret: true));
        return Output.Config<string>(key);
    }

    public void Declare(string key, ConfigDeclaration declaration)
    {
        if (_config.TryGetValue(key, out var existing) && existing != declaration)
            throw new InvalidOperationException($"Config key '{key}' is declared twice, differently.");
        _config[key] = declaration;
    }

    public MapValue ToValue() => MapValue.Ordered(
    [
        new("name", Name is null ? null : new StringValue(Name)),
        new("description", Description is null ? null : new StringValue(Description)),
        new("config", _config.Count == 0 ? null : MapValue.From(_config.Select(c => new KeyValuePair<string, Value?>(c.Key, c.Value.ToValue())))),
        new("variables", _variables.Count == 0 ? null : MapValue.From(_variables.Select(v => new KeyValuePair<string, Value?>(v.Key, v.Value)))),
        new("resources", MapValue.From(_resources.Values.Select(r => new KeyValuePair<string, Value?>(r.LogicalName, ResourceValue(r))))),
        new("outputs", _outputs.Count == 0 ? null : MapValue.From(_outputs.Select(o => new KeyValuePair<string, Value?>(o.Key, o.Value)))),
    ]);

    private static MapValue ResourceValue(Resource r)
    {
        var properties = r.RenderedInputs;
        var options = r.Options.ToValue(r.ProviderVersion);
        return MapValue.Ordered(
        [
            new("type", new StringValue(r.TypeToken)),
            new("properties", properties is MapValue { Entries.Count: 0 } ? null : properties),
            new("options", options.Entries.Count == 0 ? null : options),
        ]);
    }
}
