using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Salesforce.Auth;

/// <summary>Builds the RS256 assertion of the JWT bearer flow with System.Security.Cryptography.</summary>
internal static class JwtAssertion
{
    /// <summary>Salesforce accepts an <c>exp</c> at most 3 minutes ahead; stay a little under it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(170);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("{\"alg\":\"RS256\"}");

    /// <summary>Returns <c>base64url(header).base64url(claims).base64url(signature)</c>.</summary>
    public static string Create(string consumerKey, string username, string audience, string privateKeyPem, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", consumerKey);
            writer.WriteString("sub", username);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var signingInput = string.Concat(Base64Url.EncodeToString(Header), ".", Base64Url.EncodeToString(buffer.ToArray()));
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
        }
        catch (ArgumentException ex)
        {
            throw new ConcordException(ErrorCategory.Configuration, "SalesforceConnectorOptions.PrivateKeyPem is not an RSA private key in PEM.", ex)
            {
                System = SalesforceConnectorOptions.DefaultName,
                Operation = "authenticate",
            };
        }

        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return string.Concat(signingInput, ".", Base64Url.EncodeToString(signature));
    }
}
