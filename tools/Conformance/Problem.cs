namespace Platform.Conformance;

/// <summary>What kind of rule a template breaks (stable, for tests and tooling).</summary>
public enum ProblemKind
{
    /// <summary>The text is not YAML/JSON, or not a mapping at the top.</summary>
    Syntax,
    /// <summary>An unknown or misspelled top-level key, or an unknown field of a resource or config declaration.</summary>
    UnknownField,
    /// <summary>
    /// No top-level <c>name</c>: the YAML language host loads a compiled template without one only when the program
    /// directory holds a Main.json, Main.yaml or Pulumi.yaml naming the project, and ours holds none.
    /// </summary>
    MissingName,
    /// <summary>A resource <c>type</c> that is not in the pinned package, or not written canonically.</summary>
    UnknownType,
    /// <summary>A property name that does not exist on its input type (top level or nested).</summary>
    UnknownProperty,
    /// <summary>A value of the wrong shape: a string where a number is expected, an object where a list is, ...</summary>
    WrongShape,
    /// <summary>A required input (or a required property of a nested input) is not set.</summary>
    MissingRequired,
    /// <summary><c>${x...}</c> names no resource, variable, declared config key or <c>pulumi.*</c> value.</summary>
    UnknownReference,
    /// <summary><c>${resource.x}</c> where the resource's type has no output <c>x</c> (or a nested segment does not exist).</summary>
    UnknownOutput,
    /// <summary><c>${key}</c> for a config key that is not declared in the template's <c>config:</c> block.</summary>
    UndeclaredConfig,
    /// <summary>An unterminated or empty <c>${</c>, or an accessor that does not parse.</summary>
    MalformedInterpolation,
    /// <summary>An <c>fn::</c> key that is not a Pulumi YAML built-in (or not written in its canonical casing).</summary>
    UnknownBuiltin,
    /// <summary>A built-in with arguments of the wrong shape.</summary>
    BuiltinArguments,
    /// <summary>A resource option that does not exist.</summary>
    UnknownOption,
    /// <summary>A resource option with a value of the wrong shape (dependsOn not a list of resources, ...).</summary>
    OptionShape,
    /// <summary>An AWS resource, provider or invoke without <c>options.version</c>.</summary>
    MissingVersion,
    /// <summary>An <c>options.version</c> that is not the pinned provider version.</summary>
    WrongVersion,
    /// <summary>An <c>ignoreChanges</c> (or <c>replaceOnChanges</c>, <c>additionalSecretOutputs</c>) path that names no property.</summary>
    BadPropertyPath,
    /// <summary>Resources and variables that depend on each other in a loop.</summary>
    Cycle,
    /// <summary>A malformed <c>config:</c> declaration.</summary>
    Config,
}

/// <summary>One broken rule, with where it is: a dotted path (<c>resources.vpc.properties.cidrBlock</c>) and a line.</summary>
/// <param name="Kind">The rule.</param>
/// <param name="Location">The path in the template, starting with the top-level key and the resource name.</param>
/// <param name="Line">1-based line in the template text (0 when unknown).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record Problem(ProblemKind Kind, string Location, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Location} (line {Line}): {Message}" : $"{Location}: {Message}";
}
