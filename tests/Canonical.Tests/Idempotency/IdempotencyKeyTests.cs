using Concord.Canonical.Idempotency;
using Xunit;

namespace Concord.Canonical.Tests.Idempotency;

public sealed class IdempotencyKeyTests
{
    [Fact]
    public void Derived_key_is_pinned_SHA256_of_the_length_prefixed_parts()
    {
        // SHA-256("8:accounts|4:odoo|7:cust-42|4:fp-1"): keys must stay the same across processes and releases,
        // or every stored record would stop matching its replay.
        var key = IdempotencyKey.Derive("accounts", "odoo", "cust-42", "fp-1");

        Assert.Equal("e3fe360957de9be38bdad3668c5958871dc301b2109a2f4320fb8d352398b18a", key.Value);
        Assert.Equal(key, IdempotencyKey.Derive("accounts", "odoo", "cust-42", "fp-1"));
    }

    [Theory]
    [InlineData("contacts", "odoo", "cust-42", "fp-1")]
    [InlineData("accounts", "salesforce", "cust-42", "fp-1")]
    [InlineData("accounts", "odoo", "cust-43", "fp-1")]
    [InlineData("accounts", "odoo", "cust-42", "fp-2")]
    public void Changing_any_part_changes_the_key(string flow, string target, string canonicalId, string fingerprint)
    {
        Assert.NotEqual(IdempotencyKey.Derive("accounts", "odoo", "cust-42", "fp-1"), IdempotencyKey.Derive(flow, target, canonicalId, fingerprint));
    }

    [Fact]
    public void Parts_that_would_join_to_the_same_text_give_different_keys()
    {
        Assert.NotEqual(IdempotencyKey.Derive("a|b", "c", "id", "fp"), IdempotencyKey.Derive("a", "b|c", "id", "fp"));
    }

    [Fact]
    public void Caller_chosen_keys_are_kept_as_given_within_200_characters()
    {
        Assert.Equal("webhook-evt-1", IdempotencyKey.From("webhook-evt-1").Value);
        Assert.Equal(200, IdempotencyKey.From(new string('k', 200)).Value.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => IdempotencyKey.From(new string('k', 201)));
        Assert.Throws<ArgumentException>(() => IdempotencyKey.From("  "));
        Assert.Throws<ArgumentException>(() => IdempotencyKey.Derive("", "odoo", "cust-42", "fp-1"));
    }
}
