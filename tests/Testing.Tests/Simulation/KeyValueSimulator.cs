using System.Text.Json.Nodes;

namespace Concord.Testing.Tests.Simulation;

/// <summary>A tiny simulator for the tests: a counter and a key-value store with plain (unsynchronised) state.</summary>
internal sealed class KeyValueSimulator(SimulatorOptions? options = null) : SimulatorBase(options)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _inHandler;

    public int Counter { get; private set; }

    public int MaxConcurrentHandlers { get; private set; }

    public string? Get(string key)
    {
        lock (_values)
        {
            return _values.GetValueOrDefault(key);
        }
    }

    protected override async ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        var inside = Interlocked.Increment(ref _inHandler);
        MaxConcurrentHandlers = Math.Max(MaxConcurrentHandlers, inside);
        try
        {
            await Task.Yield();
            if (request.Is("POST", "/counter/increment"))
            {
                var read = Counter;
                await Task.Yield(); // a lost update would show if two handlers ever ran at once
                Counter = read + 1;
                return SimulatorResponse.Json(new JsonObject { ["value"] = Counter });
            }

            if (request.Is("POST", "/boom"))
            {
                throw new InvalidOperationException("handler bug");
            }

            if (request.Path.StartsWith("/kv/", StringComparison.Ordinal))
            {
                var key = request.Path["/kv/".Length..];
                lock (_values)
                {
                    switch (request.Method)
                    {
                        case "PUT":
                            var created = !_values.ContainsKey(key);
                            _values[key] = request.ReadJson()?["value"]?.GetValue<string>() ?? string.Empty;
                            return SimulatorResponse.Status(created ? 201 : 204);
                        case "GET":
                            return _values.TryGetValue(key, out var value)
                                ? SimulatorResponse.Json(new JsonObject { ["key"] = key, ["value"] = value })
                                : SimulatorResponse.Status(404);
                    }
                }
            }

            return SimulatorResponse.Status(404);
        }
        finally
        {
            Interlocked.Decrement(ref _inHandler);
        }
    }
}
