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

    /// <summary>Conditions: operator → key → values, e.g. <c>Bool → aws:SecureTransport → ["false"]</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>>? Conditions { get; init; }

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
        var conditions = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>>
        {
            ["StringEquals"] = new Dictionary<string, IReadOnlyList<Output<string>>> { ["aws:SourceAccount"] = [PolicyStatement.Literal(accountId)] },
        };
        if (sourceArnPattern is not null)
            conditions["ArnLike"] = new Dictionary<string, IReadOnlyList<Output<string>>> { ["aws:SourceArn"] = [PolicyStatement.Literal(sourceArnPattern)] };
        return new PolicyDocument(new PolicyStatement
        {
            Actions = ["sts:AssumeRole"],
            Principal = PolicyStatement.ServicePrincipal(service),
            Conditions = conditions,
        });
    }

    /// <summary>The document as the JSON string IAM expects: <c>fn::toJSON</c>.</summary>
    public Input<string> ToJson() => Input<string>.FromValue(FunctionValue.ToJson(ToValue()));
}
