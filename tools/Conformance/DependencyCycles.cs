namespace Platform.Conformance;

/// <summary>Loops in a dependency graph: Tarjan's strongly connected components, each with a shortest loop.</summary>
internal static class DependencyCycles
{
    /// <param name="Members">The nodes of one strongly connected component that has a loop.</param>
    /// <param name="Loop">A shortest path from the component's smallest node (ordinal) back to itself.</param>
    public sealed record Cycle(IReadOnlyList<string> Members, IReadOnlyList<string> Loop);

    /// <summary>Every cycle among <paramref name="nodes"/>, ordered by smallest member.</summary>
    public static IEnumerable<Cycle> Find(IEnumerable<string> nodes, Func<string, IEnumerable<string>> next)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        var counter = 0;

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next(v))
            {
                if (!index.ContainsKey(w))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1 || next(v).Contains(v)) components.Add(component);
        }

        foreach (var n in nodes)
            if (!index.ContainsKey(n)) Connect(n);

        return components.OrderBy(c => c.Min(StringComparer.Ordinal), StringComparer.Ordinal)
            .Select(c => new Cycle(c, Loop(c.Min(StringComparer.Ordinal)!, new HashSet<string>(c, StringComparer.Ordinal), next)))
            .ToList();
    }

    /// <summary>A shortest path from <paramref name="start"/> back to itself inside one component.</summary>
    private static List<string> Loop(string start, HashSet<string> members, Func<string, IEnumerable<string>> next)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in next(v))
            {
                if (!members.Contains(w)) continue;
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var x = v; x != start; x = previous[x]) path.Insert(1, x);
                    path.Add(start);
                    return path;
                }
                if (previous.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        return [start, start];
    }
}
