using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Diagnostics;
using Microsoft.Extensions.Logging;
using Refit;

namespace Concord.Connectors.Odoo.Api;

/// <summary>
/// One connector instance's link to its server: detects the version once (Auto), authenticates once (JSON-RPC, the uid
/// is cached; <c>authenticate</c> costs ~0.5 s on a real server), then sends ORM calls over JSON-RPC or JSON-2.
/// Thread-safe; concurrent first calls share one detection and one authentication.
/// </summary>
internal sealed class OdooClient : IOdooTransport, IDisposable
{
    private readonly string _system;
    private readonly OdooConnectorOptions _options;
    private readonly IOdooJsonRpcApi _rpc;
    private readonly IOdooJson2Api _json2;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _profileGate = new(1, 1);
    private OdooServerProfile? _profile;
    private long _requestId;

    public OdooClient(string system, OdooConnectorOptions options, IOdooJsonRpcApi rpc, IOdooJson2Api json2, ILogger logger)
    {
        _system = system;
        _options = options;
        _rpc = rpc;
        _json2 = json2;
        _logger = logger;
    }

    public void Dispose() => _profileGate.Dispose();

    /// <summary>The number of HTTP calls sent (for tests and benchmarks).</summary>
    public long CallCount => Interlocked.Read(ref _callCount);

    private long _callCount;

    public async ValueTask<OdooServerProfile> GetProfileAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _profile) is { } known)
        {
            return known;
        }

        await _profileGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_profile is { } raced)
            {
                return raced;
            }

            var version = await DetectVersionAsync(cancellationToken).ConfigureAwait(false);
            var flavor = _options.ApiFlavor switch
            {
                OdooApiFlavor.Auto => version.HasJson2 ? OdooApiFlavor.Json2 : OdooApiFlavor.JsonRpc,
                var chosen => chosen,
            };
            var uid = flavor == OdooApiFlavor.JsonRpc ? await AuthenticateAsync(cancellationToken).ConfigureAwait(false) : 0;
            Log.ServerDetected(_logger, _system, version.ToString(), flavor);
            var profile = new OdooServerProfile(version, flavor, uid);
            Volatile.Write(ref _profile, profile);
            return profile;
        }
        finally
        {
            _profileGate.Release();
        }
    }

    public async Task<T> ExecuteAsync<T>(OdooCall call, JsonTypeInfo<T> resultType, string operation, CancellationToken cancellationToken)
    {
        var profile = await GetProfileAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return profile.Flavor == OdooApiFlavor.Json2
                ? await ExecuteJson2Async(call, resultType, operation, cancellationToken).ConfigureAwait(false)
                : await ExecuteRpcAsync(profile.Uid, call, resultType, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcordException ex) when (ex.Category == ErrorCategory.Authentication)
        {
            // A revoked or expired key: forget the session so that the next call authenticates again.
            Interlocked.CompareExchange(ref _profile, null, profile);
            Log.CallFailed(_logger, _system, call.ToString(), operation, ex.Category, ex.VendorErrorCode);
            throw;
        }
        catch (ConcordException ex)
        {
            Log.CallFailed(_logger, _system, call.ToString(), operation, ex.Category, ex.VendorErrorCode);
            throw;
        }
    }

    private async Task<OdooServerVersion> DetectVersionAsync(CancellationToken cancellationToken)
    {
        // Auto asks the web client's version route first: every supported version answers it, so detection makes no
        // request that fails (a 404 would be an error span in the host's traces on every start).
        if (_options.ApiFlavor == OdooApiFlavor.Auto && await WebClientVersionAsync(cancellationToken).ConfigureAwait(false) is { } fromWebClient)
        {
            return fromWebClient;
        }

        if (_options.ApiFlavor != OdooApiFlavor.JsonRpc)
        {
            try
            {
                Interlocked.Increment(ref _callCount);
                using var web = await _json2.GetVersionAsync("detect-version", cancellationToken).ConfigureAwait(false);
                if (web.IsSuccessStatusCode && OdooServerVersion.Parse(web.Content?.VersionInfo, web.Content?.Version) is { } fromWeb)
                {
                    return fromWeb;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // 16.0–18.x have no /web/version (404, or a redirect to an HTML page): ask JSON-RPC below.
            }
        }

        var info = await SendRpcAsync("common", "version", static _ => { }, OdooJsonContext.Default.RpcVersionInfo, "detect-version", true, cancellationToken).ConfigureAwait(false);
        return OdooServerVersion.Parse(info.ServerVersionInfo, info.ServerVersion)
            ?? throw new ConcordException(ErrorCategory.ContractViolation, $"Odoo's common.version answer carries no version Concord can read ('{info.ServerVersion}').")
            {
                System = _system,
                Operation = "detect-version",
            };
    }

    /// <summary>The version from <c>/web/webclient/version_info</c>, or null when the server does not tell it there (a hardened proxy).</summary>
    private async Task<OdooServerVersion?> WebClientVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Increment(ref _callCount);
            var request = new WebClientVersionRequest { Id = Interlocked.Increment(ref _requestId) };
            using var response = await _rpc.GetVersionInfoAsync(request, true, "detect-version", cancellationToken).ConfigureAwait(false);
            if (response is { IsSuccessStatusCode: true, Content: { Error: null, Result.ValueKind: JsonValueKind.Object } content })
            {
                var info = content.Result.Deserialize(OdooJsonContext.Default.RpcVersionInfo);
                return OdooServerVersion.Parse(info?.ServerVersionInfo, info?.ServerVersion);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not answered there: the probes below decide.
        }

        return null;
    }

    private async Task<int> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var database = _options.Database!;
        var login = _options.Login!;
        var key = _options.ApiKey!;
        var result = await SendRpcAsync(
            "common",
            "authenticate",
            writer =>
            {
                writer.WriteStringValue(database);
                writer.WriteStringValue(login);
                writer.WriteStringValue(key);
                writer.WriteStartObject();
                writer.WriteEndObject();
            },
            OdooJsonContext.Default.JsonElement,
            "authenticate",
            true,
            cancellationToken).ConfigureAwait(false);
        if (result.ValueKind == JsonValueKind.Number && result.TryGetInt32(out var uid) && uid > 0)
        {
            Log.Authenticated(_logger, _system, database, uid);
            return uid;
        }

        Log.AuthenticationRefused(_logger, _system, database);
        throw new ConcordException(
            ErrorCategory.Authentication,
            $"Odoo refused the login of the API user on database '{database}': check OdooConnectorOptions.Login and OdooConnectorOptions.ApiKey (API keys expire from 18.0).")
        {
            System = _system,
            Operation = "authenticate",
            VendorErrorCode = "authenticate=false",
        };
    }

    private Task<T> ExecuteRpcAsync<T>(int uid, OdooCall call, JsonTypeInfo<T> resultType, string operation, CancellationToken cancellationToken)
    {
        var database = _options.Database!;
        var key = _options.ApiKey!;
        return SendRpcAsync(
            "object",
            "execute_kw",
            writer =>
            {
                writer.WriteStringValue(database);
                writer.WriteNumberValue(uid);
                writer.WriteStringValue(key);
                writer.WriteStringValue(call.Model);
                writer.WriteStringValue(call.Method);
                writer.WriteStartArray();
                if (call.Ids is { } ids)
                {
                    writer.WriteStartArray();
                    foreach (var id in ids)
                    {
                        writer.WriteNumberValue(id);
                    }

                    writer.WriteEndArray();
                }

                foreach (var argument in call.Arguments)
                {
                    if (argument.Positional)
                    {
                        argument.WriteValue(writer);
                    }
                }

                writer.WriteEndArray();
                writer.WriteStartObject();
                foreach (var argument in call.Arguments)
                {
                    if (!argument.Positional)
                    {
                        writer.WritePropertyName(argument.Name);
                        argument.WriteValue(writer);
                    }
                }

                writer.WritePropertyName("context");
                call.Context.WriteTo(writer);
                writer.WriteEndObject();
            },
            resultType,
            operation,
            call.Idempotent,
            cancellationToken);
    }

    private async Task<T> SendRpcAsync<T>(string service, string method, Action<Utf8JsonWriter> writeArgs, JsonTypeInfo<T> resultType, string operation, bool idempotent, CancellationToken cancellationToken)
    {
        var request = new JsonRpcRequest
        {
            Id = Interlocked.Increment(ref _requestId),
            Service = service,
            Method = method,
            WriteArgs = writeArgs,
        };
        Interlocked.Increment(ref _callCount);
        ApiResponse<JsonRpcResponse> response;
        try
        {
            response = await _rpc.CallAsync(request, idempotent, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FindPipelineFailure(ex) is { } failure)
        {
            throw failure;
        }

        using (response)
        {
            ThrowIfNotReceived(response.Error, operation);
            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw OdooErrorClassifier.FromJson2(_system, operation, response.StatusCode ?? 0, (response.Error as ApiException)?.Content);
            }

            if (response.Content.Error is { } error)
            {
                throw OdooErrorClassifier.FromRpcError(_system, operation, error);
            }

            return ReadResult(response.Content.Result, resultType, operation);
        }
    }

    private async Task<T> ExecuteJson2Async<T>(OdooCall call, JsonTypeInfo<T> resultType, string operation, CancellationToken cancellationToken)
    {
        var body = new Json2Request { Ids = call.Ids, Arguments = call.Arguments, Context = call.Context };
        Interlocked.Increment(ref _callCount);
        ApiResponse<JsonElement> response;
        try
        {
            response = await _json2.CallAsync(call.Model, call.Method, body, $"bearer {_options.ApiKey}", _options.Database!, call.Idempotent, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FindPipelineFailure(ex) is { } failure)
        {
            throw failure;
        }

        using (response)
        {
            ThrowIfNotReceived(response.Error, operation);
            if (!response.IsSuccessStatusCode)
            {
                throw OdooErrorClassifier.FromJson2(_system, operation, response.StatusCode ?? 0, (response.Error as ApiException)?.Content);
            }

            return ReadResult(response.Content, resultType, operation);
        }
    }

    private void ThrowIfNotReceived(ApiExceptionBase? error, string operation)
    {
        if (error is null or ApiException)
        {
            return;
        }

        throw FindPipelineFailure(error) ?? new ConcordException(ErrorCategory.ContractViolation, $"The {operation} call to Odoo failed before an answer was read: {error.Message}", error)
        {
            System = _system,
            Operation = operation,
        };
    }

    private T ReadResult<T>(JsonElement result, JsonTypeInfo<T> resultType, string operation)
    {
        try
        {
            return result.Deserialize(resultType)!;
        }
        catch (JsonException ex)
        {
            throw new ConcordException(ErrorCategory.ContractViolation, $"Odoo's answer to the {operation} call is not the expected {typeof(T).Name}: {ex.Message}", ex)
            {
                System = _system,
                Operation = operation,
            };
        }
    }

    /// <summary>
    /// The <see cref="ConcordException"/> the client's resilience pipeline threw for a transport failure (timeout, network
    /// error, open circuit, full limiter queue), found under Refit's wrapper; null for anything else, such as the
    /// caller's own cancellation or a body Refit could not read.
    /// </summary>
    private static ConcordException? FindPipelineFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ConcordException concord)
            {
                return concord;
            }
        }

        return null;
    }
}
