namespace Platform.Conformance;

/// <summary>"Did you mean" hints: the closest candidate by edit distance, ignoring case.</summary>
internal static class Suggestions
{
    /// <summary>" (did you mean 'x'?)" for the closest candidate within a third of the name's length, or "".</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Suggest(name, candidates, Math.Max(2, name.Length / 3)) is { } s ? $" (did you mean '{s}'?)" : "";

    /// <summary>The candidate closest to <paramref name="name"/> within <paramref name="maxDistance"/> edits (a case-only difference first).</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates, int maxDistance)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (candidate == name) continue;
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)) return candidate;
            if (Math.Abs(candidate.Length - name.Length) > maxDistance) continue;
            var d = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? best : null;
    }

    /// <summary>The Levenshtein distance of two strings.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
