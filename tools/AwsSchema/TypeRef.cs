namespace Platform.AwsSchema;

/// <summary>The kinds of scalar a property can take.</summary>
public enum PrimitiveKind
{
    String,
    Number,
    Boolean,
    /// <summary><c>any</c> or a type the parser does not model: every value fits.</summary>
    Any,
    /// <summary><c>pulumi.asset.Asset</c> (written with <c>fn::fileAsset</c>, <c>fn::stringAsset</c>, ...).</summary>
    Asset,
    /// <summary><c>pulumi.asset.Archive</c> (written with <c>fn::fileArchive</c>, <c>fn::assetArchive</c>, ...).</summary>
    Archive,
}

/// <summary>Which of <c>types/input.d.ts</c> and <c>types/output.d.ts</c> a nested object type lives in.</summary>
public enum TypeSide
{
    Input,
    Output,
}

/// <summary>
/// The type of a property, parsed from its TypeScript declaration with the <c>pulumi.Input</c>/<c>pulumi.Output</c>
/// wrappers and <c>undefined</c> removed. String enums, string literals and resource classes accepted in place of a
/// string (<c>string | Role</c>) all become <see cref="PrimitiveTypeRef.String"/>.
/// </summary>
public abstract record TypeRef
{
    /// <summary>A short TypeScript-like rendering for messages: <c>string</c>, <c>list&lt;s3.X&gt;</c>, <c>string | iam.PolicyDocument</c>.</summary>
    public abstract string Display { get; }

    public sealed override string ToString() => Display;
}

public sealed record PrimitiveTypeRef(PrimitiveKind Kind) : TypeRef
{
    public static readonly PrimitiveTypeRef String = new(PrimitiveKind.String);
    public static readonly PrimitiveTypeRef Number = new(PrimitiveKind.Number);
    public static readonly PrimitiveTypeRef Boolean = new(PrimitiveKind.Boolean);
    public static readonly PrimitiveTypeRef Any = new(PrimitiveKind.Any);
    public static readonly PrimitiveTypeRef Asset = new(PrimitiveKind.Asset);
    public static readonly PrimitiveTypeRef Archive = new(PrimitiveKind.Archive);

    public override string Display => Kind switch
    {
        PrimitiveKind.String => "string",
        PrimitiveKind.Number => "number",
        PrimitiveKind.Boolean => "boolean",
        PrimitiveKind.Any => "any",
        PrimitiveKind.Asset => "asset",
        _ => "archive",
    };
}

public sealed record ListTypeRef(TypeRef Element) : TypeRef
{
    public override string Display => $"list<{Element.Display}>";
}

public sealed record MapTypeRef(TypeRef Value) : TypeRef
{
    public override string Display => $"map<{Value.Display}>";
}

/// <summary>A nested object type, by qualified name (<c>s3.BucketLifecycleConfigurationRule</c>; no module for root types).</summary>
public sealed record ObjectTypeRef(string QualifiedName, TypeSide Side) : TypeRef
{
    public override string Display => QualifiedName;
}

/// <summary>A union that does not collapse to one member, e.g. <c>string | iam.PolicyDocument</c>. Members are distinct.</summary>
public sealed record UnionTypeRef(IReadOnlyList<TypeRef> Members) : TypeRef
{
    public override string Display => string.Join(" | ", Members.Select(m => m.Display));

    public bool Equals(UnionTypeRef? other) => other is not null && Members.SequenceEqual(other.Members);

    public override int GetHashCode() => Members.Count;
}
