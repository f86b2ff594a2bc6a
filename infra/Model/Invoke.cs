using Platform.Infra.Aws;

namespace Platform.Infra.Model;

/// <summary>Provider functions (<c>fn::invoke</c>), pinned to the same provider version as the resources.</summary>
public static class Invoke
{
    public static Value Aws(string function, MapValue arguments, string returnProperty) =>
        new FunctionValue("fn::invoke", MapValue.From(
        [
            new("function", new StringValue(function)),
            new("arguments", arguments),
            new("options", MapValue.From([new("version", new StringValue(AwsProvider.Version))])),
            new("return", new StringValue(returnProperty)),
        ]));
}
