namespace Platform.Infra.Model;

/// <summary>
/// An IAM (or resource) policy statement. Resources and condition values may be outputs of other resources; the
/// document renders through <c>fn::toJSON</c>, so the ARNs are filled in by Pulumi.
/// </summary>
public sealed record PolicyStatement
{
    public string? Sid { get; init; }
    public string Effect { get; init; } = "Allow";
    public required IReadOnlyList<string> Actions { get; init; }
    public IReadOnlyList<Output<string>>? Resources { get; init; }

    /// <summary>Principal as written in the policy, e.g. <c>{"Service": ["ecs-tasks.amazonaws.com"]}</c> or <c>"*"</c>.</summary>
    public Value? Principal { get; init; }

    /// <summary>Conditions: operator → key → values, e.g. <c>Bool → aws:SecureTransport → ["false"]</c> (build with <see cref="Condition"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>>? Conditions { get; init; }

    /// <summary>
    /// A condition block: every (operator, key, values) given, ANDed as IAM does (IAM user guide, "IAM JSON policy
    /// elements: Condition"); the values of one key are ORed.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>> Condition(params (string Operator, string Key, Output<string> Value)[] conditions)
    {
        var block = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>>(StringComparer.Ordinal);
        foreach (var group in conditions.GroupBy(c => c.Operator, StringComparer.Ordinal))
            block[group.Key] = group.GroupBy(c => c.Key, StringComparer.Ordinal)
                .ToDictionary(k => k.Key, k => (IReadOnlyList<Output<string>>)k.Select(c => c.Value).ToArray(), StringComparer.Ordinal);
        return block;
    }

    /// <summary>
    /// Conditions that hold only when a request carries <paramref name="key"/> with a value other than
    /// <paramref name="expected"/>: a request without it (for S3, one relying on the bucket's default encryption, or a
    /// multipart UploadPart, which never carries encryption headers) does not match. <c>StringNotEqualsIfExists</c>
    /// alone is not that: IAM evaluates it as true when the key is absent (IAM user guide, "...IfExists condition
    /// operators"), so a deny built on it refuses every request without the key.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>> PresentAndNot(string key, Output<string> expected) =>
        Condition(("Null", key, Literal("false")), ("StringNotEquals", key, expected));

    /// <summary>
    /// The condition that a KMS key is used only through <paramref name="service"/> (<c>s3</c>, <c>sqs</c>,
    /// <c>secretsmanager</c>) in <paramref name="region"/> (AWS KMS developer guide, "kms:ViaService").
    /// </summary>
    public static (string Operator, string Key, Output<string> Value) ViaService(string service, string region) =>
        ("StringEquals", "kms:ViaService", Literal($"{service}.{region}.amazonaws.com"));

    public static Value ServicePrincipal(params string[] services) =>
        MapValue.From([new("Service", new ListValue(services.Order(StringComparer.Ordinal).Select(s => (Value)new StringValue(s)).ToArray()))]);

    public static Value AwsPrincipal(Output<string> arn) => MapValue.From([new("AWS", arn.Expression)]);

    public static readonly Value Anyone = new StringValue("*");

    public static Output<string> Literal(string text) => new(new StringValue(text));

    public Value ToValue() => MapValue.From(
    [
        new("Sid", Sid is null ? null : new StringValue(Sid)),
        new("Effect", new StringValue(Effect)),
        new("Action", Strings(Actions)),
        new("Resource", Resources is null ? null : new ListValue(Resources.Select(r => r.Expression).ToArray())),
        new("Principal", Principal),
        new("Condition", Conditions is null ? null : MapValue.From(Conditions.Select(op => new KeyValuePair<string, Value?>(op.Key,
            MapValue.From(op.Value.Select(k => new KeyValuePair<string, Value?>(k.Key, new ListValue(k.Value.Select(v => v.Expression).ToArray())))))))),
    ]);

    private static ListValue Strings(IEnumerable<string> items) => new(items.Select(s => (Value)new StringValue(s)).ToArray());
}

public sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statements)
{
    public PolicyDocument(params PolicyStatement[] statements) : this((IReadOnlyList<PolicyStatement>)statements)
    {
    }

    public Value ToValue() => MapValue.From(
    [
        new("Version", new StringValue("2012-10-17")),
        new("Statement", new ListValue(Statements.Select(s => s.ToValue()).ToArray())),
    ]);

    /// <summary>
    /// The trust policy of a role only an AWS service acting for this account may assume: <c>aws:SourceAccount</c>
    /// always, and <c>aws:SourceArn</c> where the service sets it, against the confused-deputy problem (IAM user guide,
    /// "The confused deputy problem").
    /// </summary>
    /// <param name="service">The service principal, e.g. <c>ecs-tasks.amazonaws.com</c>.</param>
    /// <param name="accountId">The account the service must act for.</param>
    /// <param name="sourceArnPattern">An ARN pattern the calling resource must match (ArnLike), or null.</param>
    public static PolicyDocument AssumableBy(string service, string accountId, string? sourceArnPattern = null)
    {
        (string, string, Output<string>)[] account = [("StringEquals", "aws:SourceAccount", PolicyStatement.Literal(accountId))];
        return new PolicyDocument(new PolicyStatement
        {
            Actions = ["sts:AssumeRole"],
            Principal = PolicyStatement.ServicePrincipal(service),
            Conditions = PolicyStatement.Condition(sourceArnPattern is null ? account : [.. account, ("ArnLike", "aws:SourceArn", PolicyStatement.Literal(sourceArnPattern))]),
        });
    }

    /// <summary>The document as the JSON string IAM expects: <c>fn::toJSON</c>.</summary>
    public Input<string> ToJson() => Input<string>.FromValue(FunctionValue.ToJson(ToValue()));
}
