using System.Text.Json;
using Platform.Infra.Model;

namespace Platform.Infra.Tests.Support;

/// <summary>What Pulumi would know after deploying: the value of an output of a resource (or a variable).</summary>
public interface IDeployedOutputs
{
    string Get(string resource, string type, string path);
}

/// <summary>
/// Evaluates template values the way Pulumi would, with resource outputs supplied by a mock (fake ids and ARNs),
/// so tests can assert on the concrete JSON of a policy.
/// </summary>
public sealed class Evaluator(Template template, IDeployedOutputs outputs)
{
    public object? Eval(Value value) => value switch
    {
        StringValue s => s.Text,
        NumberValue n => n.Number,
        BoolValue b => b.Flag,
        ListValue l => l.Items.Select(Eval).ToList(),
        MapValue m => m.Entries.ToDictionary(e => e.Key, e => Eval(e.Value)),
        ReferenceValue r => Resolve(r),
        InterpolationValue i => string.Concat(i.Parts.Select(p => Convert.ToString(Eval(p), System.Globalization.CultureInfo.InvariantCulture))),
        FunctionValue { Name: "fn::toJSON" } f => JsonSerializer.Serialize(Eval(f.Argument)),
        FunctionValue { Name: "fn::secret" } f => Eval(f.Argument),
        FunctionValue { Name: "fn::join" } f when f.Argument is ListValue { Items: [StringValue d, var items] } =>
            string.Join(d.Text, ((List<object?>)Eval(items)!).Select(x => Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture))),
        _ => throw new NotSupportedException($"Cannot evaluate {value}"),
    };

    /// <summary>Evaluates a JSON-document property (fn::toJSON) and parses the result.</summary>
    public JsonElement Json(Value value) => JsonDocument.Parse((string)Eval(value)!).RootElement.Clone();

    private string Resolve(ReferenceValue reference)
    {
        var resource = template.Find(reference.Resource);
        if (resource is not null) return outputs.Get(resource.LogicalName, resource.TypeToken, reference.Path);
        if (template.Variables.ContainsKey(reference.Resource)) return outputs.Get(reference.Resource, "variable", reference.Path);
        throw new InvalidOperationException($"Reference to unknown '{reference.Resource}'.");
    }
}
