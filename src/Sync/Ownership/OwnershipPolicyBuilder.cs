using System.Collections.Immutable;
using System.Linq.Expressions;
using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>
/// Declares field ownership fluently:
/// <c>o.Field(CustomerField.TaxIds).OwnedBy("odoo").Field(c =&gt; c.Name).OwnedBy("salesforce").Unowned(Survivorship.NonEmpty)</c>.
/// </summary>
public sealed class OwnershipPolicyBuilder
{
    private readonly Dictionary<CustomerField, string> _owners = [];
    private Survivorship _unowned = Survivorship.MostRecent;
    private ImmutableArray<string> _priority = [];
    private bool _seedOnCreate = true;

    /// <summary>Starts declaring the owner of <paramref name="fields"/>.</summary>
    /// <param name="fields">The field groups.</param>
    /// <returns>The step that names the owner.</returns>
    public FieldOwnership Field(params CustomerField[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length == 0)
        {
            throw new ArgumentException("Name at least one field group.", nameof(fields));
        }

        return new FieldOwnership(this, [.. fields]);
    }

    /// <summary>Starts declaring the owner of the field group that <paramref name="member"/> selects (<c>c =&gt; c.TaxIds</c>; <c>c =&gt; c.Addresses</c> selects every address group).</summary>
    /// <typeparam name="TValue">The member's type.</typeparam>
    /// <param name="member">A member access on the customer.</param>
    /// <returns>The step that names the owner.</returns>
    /// <exception cref="ArgumentException">The expression is not a direct member of <see cref="CanonicalCustomer"/> that maps to a field group.</exception>
    public FieldOwnership Field<TValue>(Expression<Func<CanonicalCustomer, TValue>> member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var body = member.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : member.Body;
        if (body is not MemberExpression { Expression: ParameterExpression } access)
        {
            throw new ArgumentException($"'{member}' is not a member of the customer; write c => c.TaxIds, or use a CustomerField.", nameof(member));
        }

        return new FieldOwnership(this, CustomerFields.ForMember(access.Member.Name)
            ?? throw new ArgumentException($"The customer member '{access.Member.Name}' has no field group that can be owned.", nameof(member)));
    }

    /// <summary>Declares that <paramref name="system"/> owns <paramref name="fields"/>.</summary>
    /// <param name="system">The owner's connector name.</param>
    /// <param name="fields">The field groups.</param>
    /// <returns>This builder.</returns>
    public OwnershipPolicyBuilder System(string system, params CustomerField[] fields) => Field(fields).OwnedBy(system);

    /// <summary>Sets the rule for field groups no system owns.</summary>
    /// <param name="rule">The survivorship rule.</param>
    /// <param name="priority">For <see cref="Survivorship.SourcePriority"/>: the systems, highest priority first.</param>
    /// <returns>This builder.</returns>
    public OwnershipPolicyBuilder Unowned(Survivorship rule, params string[] priority)
    {
        ArgumentNullException.ThrowIfNull(priority);
        if (rule == Survivorship.SourcePriority && priority.Length == 0)
        {
            throw new ArgumentException("Source priority needs the systems in priority order.", nameof(priority));
        }

        _unowned = rule;
        _priority = [.. priority];
        return this;
    }

    /// <summary>Sets whether a record created in a target takes incoming values of groups another system owns.</summary>
    /// <param name="seed">True (the default) to seed them.</param>
    /// <returns>This builder.</returns>
    public OwnershipPolicyBuilder SeedOwnedFieldsOnCreate(bool seed)
    {
        _seedOnCreate = seed;
        return this;
    }

    /// <summary>Builds the policy.</summary>
    /// <returns>The policy.</returns>
    public OwnershipPolicy Build() => new()
    {
        Owners = _owners.ToImmutableDictionary(),
        Unowned = _unowned,
        SourcePriority = _priority,
        SeedOwnedFieldsOnCreate = _seedOnCreate,
    };

    internal OwnershipPolicyBuilder SetOwner(ImmutableArray<CustomerField> fields, string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        foreach (var field in fields)
        {
            _owners[field] = system;
        }

        return this;
    }

    /// <summary>The step of <see cref="Field(CustomerField[])"/> that names the owner.</summary>
    public sealed class FieldOwnership
    {
        private readonly OwnershipPolicyBuilder _builder;
        private readonly ImmutableArray<CustomerField> _fields;

        internal FieldOwnership(OwnershipPolicyBuilder builder, ImmutableArray<CustomerField> fields)
        {
            _builder = builder;
            _fields = fields;
        }

        /// <summary>Declares <paramref name="system"/> the system of record for the field groups.</summary>
        /// <param name="system">The owner's connector name.</param>
        /// <returns>The policy builder, to declare more.</returns>
        public OwnershipPolicyBuilder OwnedBy(string system) => _builder.SetOwner(_fields, system);
    }
}
