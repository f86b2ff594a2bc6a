namespace Platform.Infra.Model;

/// <summary>The inputs of one resource type (generated from @pulumi/aws): the type token and the rendering.</summary>
public interface IResourceArgs : IInputObject
{
}

/// <summary>Inputs that carry a <c>tags</c> map, so the resource builder can add the component's tags.</summary>
public interface ITaggableArgs<TSelf> : IResourceArgs
{
    InputMap<string>? Tags { get; }

    TSelf WithTags(InputMap<string> tags);
}

/// <summary>Pulumi resource options, as written under a resource's <c>options:</c>.</summary>
public sealed record ResourceOptions
{
    public bool? Protect { get; init; }
    public bool? RetainOnDelete { get; init; }
    public bool? DeleteBeforeReplace { get; init; }
    public IReadOnlyList<Resource>? DependsOn { get; init; }
    public Resource? Parent { get; init; }
    public Resource? Provider { get; init; }
    public IReadOnlyList<string>? IgnoreChanges { get; init; }
    public IReadOnlyList<string>? ReplaceOnChanges { get; init; }
    public IReadOnlyList<string>? AdditionalSecretOutputs { get; init; }

    public static readonly ResourceOptions None = new();

    /// <summary>The options of a stateful resource in a stage that protects its data.</summary>
    public static ResourceOptions Stateful(bool protect) => protect ? new() { Protect = true, RetainOnDelete = true } : None;

    /// <summary>The options of a resource that outlives its stack in every stage (audit evidence): kept on destroy, protected where the stage protects.</summary>
    public static ResourceOptions Kept(bool protect) => Stateful(protect) with { RetainOnDelete = true };

    internal MapValue ToValue(string? version)
    {
        static Value? Flag(bool? b) => b is null ? null : new BoolValue(b.Value);
        static Value? Strings(IReadOnlyList<string>? list) => list is null or { Count: 0 } ? null : new ListValue(list.Select(s => (Value)new StringValue(s)).ToArray());
        return MapValue.From(
        [
            new("protect", Flag(Protect)),
            new("retainOnDelete", Flag(RetainOnDelete)),
            new("deleteBeforeReplace", Flag(DeleteBeforeReplace)),
            new("dependsOn", DependsOn is null or { Count: 0 } ? null : new ListValue(DependsOn.Select(r => (Value)r.Self).ToArray())),
            new("parent", Parent?.Self),
            new("provider", Provider?.Self),
            new("ignoreChanges", Strings(IgnoreChanges)),
            new("replaceOnChanges", Strings(ReplaceOnChanges)),
            new("additionalSecretOutputs", Strings(AdditionalSecretOutputs)),
            new("version", version is null ? null : new StringValue(version)),
        ]);
    }
}

/// <summary>
/// A resource of the template: a logical name (the key under <c>resources:</c>), a type token, inputs and options.
/// Generated subclasses add typed outputs.
/// </summary>
public abstract class Resource
{
    protected Resource(string name, string type, IResourceArgs args, ResourceOptions? options, string? version)
    {
        if (!NameRule.IsValid(name)) throw new ArgumentException($"'{name}' is not a valid logical name: use lower-case letters, digits and '-'.");
        LogicalName = name;
        TypeToken = type;
        Args = args;
        Options = options ?? ResourceOptions.None;
        ProviderVersion = version;
    }

    /// <summary>The logical name: the key under <c>resources:</c> and the name in the URN.</summary>
    public string LogicalName { get; }

    /// <summary>The canonical type token, e.g. <c>aws:s3/bucket:Bucket</c>.</summary>
    public string TypeToken { get; }

    public IResourceArgs Args { get; }

    private Value? _renderedInputs;

    /// <summary>
    /// The rendered inputs, computed once: a resource's args are complete when it is registered, and the policy engine,
    /// the writer and the plan all read them.
    /// </summary>
    public Value RenderedInputs => _renderedInputs ??= Args.ToValue();

    public ResourceOptions Options { get; }

    /// <summary>The exact provider plugin version pinned on this resource.</summary>
    public string? ProviderVersion { get; }

    /// <summary><c>${name}</c>: the resource itself (for dependsOn, parent, provider).</summary>
    public ReferenceValue Self => new(LogicalName, "");

    /// <summary>The provider-assigned id.</summary>
    public Output<string> Id => Output.Reference<string>(LogicalName, "id");

    public Output<string> Urn => Output.Reference<string>(LogicalName, "urn");

    protected Output<T> Out<T>(string path) => Output.Reference<T>(LogicalName, path);

    private static class NameRule
    {
        public static bool IsValid(string name) =>
            name.Length is > 0 and <= 128 && char.IsAsciiLetterLower(name[0]) &&
            name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
    }
}
