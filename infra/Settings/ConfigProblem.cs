namespace Platform.Infra.Settings;

/// <summary>One problem with a stack's configuration: the key, what is wrong, and how to fix it.</summary>
public sealed record ConfigProblem(string Key, string Problem, string Fix)
{
    public string Format(string stack) => $"  {Key}: {Problem}\n    fix: {Fix.Replace(ConfigFix.StackPlaceholder, stack, StringComparison.Ordinal)}";
}

/// <summary>Thrown when a stack's settings are invalid; carries every problem found, not just the first.</summary>
public sealed class ConfigException(string stack, IReadOnlyList<ConfigProblem> problems)
    : Exception(Describe(stack, problems))
{
    public string Stack { get; } = stack;

    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;

    public static string Describe(string stack, IReadOnlyList<ConfigProblem> problems)
    {
        var noun = problems.Count == 1 ? "problem" : "problems";
        return $"error: stack '{stack}' has {problems.Count} configuration {noun}; nothing was generated.\n" +
               string.Join("\n", problems.Select(p => p.Format(stack)));
    }
}
