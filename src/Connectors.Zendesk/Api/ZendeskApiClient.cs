using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.Zendesk.Diagnostics;
using Concord.Connectors.Zendesk.Internal;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Api;

/// <summary>What a call counts against: the per-minute budget only, or the incremental family's too.</summary>
internal enum CallKind
{
    Standard,
    Incremental,
}

/// <summary>An answer: its status and body (default for a tolerated 404).</summary>
internal readonly record struct ZendeskResponse<T>(int Status, T? Value);

/// <summary>
/// The connector's calls to Zendesk: each takes a grant from the per-minute gate (and the incremental family's), goes
/// through the HTTP client's resilience pipeline (which retries transport failures, 429 and 5xx of safe and marked
/// requests, honouring <c>Retry-After</c>), and comes back as a value or a <see cref="ConcordException"/> classified by
/// <see cref="ZendeskErrorClassifier"/>. A 409 <c>DatabaseConflict</c> of an idempotent write is resent up to three times
/// with jittered backoff.
/// </summary>
internal sealed class ZendeskApiClient(HttpClient http, ZendeskSession session, string connectorName, ILogger logger)
{
    private const int ConflictRetries = 3;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    public string ConnectorName => connectorName;

    public ZendeskSession Session => session;

    public async Task<ZendeskResponse<T>> SendAsync<T>(
        HttpMethod method,
        string path,
        byte[]? body,
        JsonTypeInfo<T>? type,
        string operation,
        string where,
        bool idempotent,
        CancellationToken cancellationToken,
        CallKind kind = CallKind.Standard,
        bool tolerateNotFound = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (kind == CallKind.Incremental)
            {
                await session.Incremental.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }

            await session.Requests.AcquireAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, path).WithOperation(operation);
            request.Headers.Accept.Add(AcceptJson);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = Json;
            }

            if (idempotent)
            {
                request.MarkIdempotent();
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcordException ex)
            {
                Log.CallFailed(logger, connectorName, operation, ex.Category, ex.VendorErrorCode, ex.StatusCode);
                throw;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    if (type is null || status == 204)
                    {
                        return new ZendeskResponse<T>(status, default);
                    }

                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        try
                        {
                            var value = await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false);
                            return new ZendeskResponse<T>(status, value);
                        }
                        catch (JsonException ex)
                        {
                            throw new ConcordException(ErrorCategory.ContractViolation, $"Zendesk {operation} on {where} answered HTTP {status} with a body the connector cannot read.", ex)
                            {
                                System = connectorName,
                                Operation = operation,
                                StatusCode = status,
                            };
                        }
                    }
                }

                if (status == 404 && tolerateNotFound)
                {
                    return new ZendeskResponse<T>(status, default);
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Conflict && idempotent && attempt < ConflictRetries)
                {
                    // 409 DatabaseConflict: two writes to one record at once. Resending an absolute write is safe.
                    var delay = TimeSpan.FromMilliseconds((200 << attempt) * (0.5 + Random.Shared.NextDouble()));
                    Log.ConflictRetry(logger, connectorName, operation, attempt + 1, delay);
                    await Task.Delay(delay, session.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var error = ZendeskErrorClassifier.FromResponse(response.StatusCode, text, response.Headers.RetryAfter?.Delta, connectorName, operation, where);
                Log.CallFailed(logger, connectorName, operation, error.Category, error.VendorErrorCode, error.StatusCode);
                throw error;
            }
        }
    }

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
