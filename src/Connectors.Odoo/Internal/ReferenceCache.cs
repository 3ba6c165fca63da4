using System.Collections.Concurrent;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>
/// Countries, states and tags of one server, cached for the instance's lifetime: each code or name is looked up once,
/// and every lookup is one call for all the codes a batch needs (never one per record). Unknown codes are remembered too.
/// Missing tags are created through <c>load</c> under the external-id prefix, so a retry does not create twins.
/// </summary>
internal sealed class ReferenceCache : IReferenceLookup
{
    private readonly IOdooTransport _transport;
    private readonly OdooCalls _calls;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, long?> _countryByCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, string> _codeByCountry = new();
    private readonly ConcurrentDictionary<(long CountryId, string Code), long?> _stateByCode = new();
    private readonly ConcurrentDictionary<long, (string CountryCode, string Code)> _stateById = new();
    private readonly ConcurrentDictionary<string, long> _tagByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, string> _nameByTag = new();
    private volatile HashSet<string>? _languages;

    public ReferenceCache(IOdooTransport transport, OdooCalls calls, string prefix)
    {
        _transport = transport;
        _calls = calls;
        _prefix = prefix;
    }

    public async Task EnsureCodesAsync(IReadOnlyCollection<string> countryCodes, IReadOnlyCollection<(string Country, string State)> states, IReadOnlyCollection<string> tags, string operation, CancellationToken cancellationToken)
    {
        var missingCountries = countryCodes.Concat(states.Select(s => s.Country)).Select(c => c.ToUpperInvariant()).Distinct().Where(c => !_countryByCode.ContainsKey(c)).ToArray();
        if (missingCountries.Length > 0)
        {
            var found = await _transport.ExecuteAsync(
                _calls.SearchRead("res.country", OdooDomain.Empty.WhereIn("code", missingCountries), ["code"]),
                OdooJsonContext.Default.CountryRecordArray,
                operation,
                cancellationToken).ConfigureAwait(false);
            foreach (var country in found)
            {
                if (country.Code is { } code)
                {
                    _countryByCode[code.ToUpperInvariant()] = country.Id;
                    _codeByCountry[country.Id] = code.ToUpperInvariant();
                }
            }

            foreach (var code in missingCountries)
            {
                _countryByCode.TryAdd(code, null);
            }
        }

        var missingStates = states
            .Select(s => (CountryId: CountryId(s.Country), Code: s.State.ToUpperInvariant()))
            .Where(s => s.CountryId is not null && !_stateByCode.ContainsKey((s.CountryId.Value, s.Code)))
            .Select(s => (CountryId: s.CountryId!.Value, s.Code))
            .Distinct()
            .ToArray();
        if (missingStates.Length > 0)
        {
            var domain = OdooDomain.Empty
                .WhereIn("country_id", missingStates.Select(s => s.CountryId).Distinct())
                .WhereIn("code", missingStates.Select(s => s.Code).Distinct());
            var found = await _transport.ExecuteAsync(_calls.SearchRead("res.country.state", domain, ["code", "country_id"]), OdooJsonContext.Default.StateRecordArray, operation, cancellationToken).ConfigureAwait(false);
            foreach (var state in found)
            {
                Remember(state);
            }

            foreach (var key in missingStates)
            {
                _stateByCode.TryAdd(key, null);
            }
        }

        var missingTags = tags.Select(t => t.Trim()).Where(t => t.Length > 0 && !_tagByName.ContainsKey(t)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (missingTags.Length > 0)
        {
            var found = await _transport.ExecuteAsync(_calls.SearchRead("res.partner.category", OdooDomain.Empty.WhereIn("name", missingTags), ["name"]), OdooJsonContext.Default.CategoryRecordArray, operation, cancellationToken).ConfigureAwait(false);
            foreach (var tag in found)
            {
                Remember(tag.Id, tag.Name);
            }

            var toCreate = missingTags.Where(t => !_tagByName.ContainsKey(t)).ToArray();
            if (toCreate.Length > 0)
            {
                var rows = toCreate.Select(t => new[] { $"{_prefix}.{ExternalIdNames.Tag(t)}", t }).ToArray();
                var result = await _transport.ExecuteAsync(_calls.Load("res.partner.category", ["id", "name"], rows), OdooJsonContext.Default.LoadResult, operation, cancellationToken).ConfigureAwait(false);
                var ids = LoadIds.Read(result);
                if (ids is null || ids.Length != toCreate.Length)
                {
                    throw new ConcordException(ErrorCategory.Validation, $"Odoo refused to create {toCreate.Length} partner tag(s): {string.Join("; ", result.Messages.Select(m => m.Message))}")
                    {
                        Operation = operation,
                    };
                }

                for (var i = 0; i < ids.Length; i++)
                {
                    Remember(ids[i], toCreate[i]);
                }
            }
        }
    }

    public async Task EnsureIdsAsync(IReadOnlyCollection<long> countryIds, IReadOnlyCollection<long> stateIds, IReadOnlyCollection<long> tagIds, string operation, CancellationToken cancellationToken)
    {
        var countries = countryIds.Distinct().Where(id => !_codeByCountry.ContainsKey(id)).ToArray();
        var states = stateIds.Distinct().Where(id => !_stateById.ContainsKey(id)).ToArray();
        var tags = tagIds.Distinct().Where(id => !_nameByTag.ContainsKey(id)).ToArray();
        if (states.Length > 0)
        {
            var found = await _transport.ExecuteAsync(_calls.SearchRead("res.country.state", OdooDomain.Empty.WhereIn("id", states), ["code", "country_id"]), OdooJsonContext.Default.StateRecordArray, operation, cancellationToken).ConfigureAwait(false);
            countries = [.. countries.Concat(found.Where(s => s.CountryId is long c && !_codeByCountry.ContainsKey(c)).Select(s => s.CountryId!.Value)).Distinct()];
            if (countries.Length > 0)
            {
                await ReadCountriesAsync(countries, operation, cancellationToken).ConfigureAwait(false);
                countries = [];
            }

            foreach (var state in found)
            {
                Remember(state);
            }
        }

        if (countries.Length > 0)
        {
            await ReadCountriesAsync(countries, operation, cancellationToken).ConfigureAwait(false);
        }

        if (tags.Length > 0)
        {
            var found = await _transport.ExecuteAsync(_calls.SearchRead("res.partner.category", OdooDomain.Empty.WhereIn("id", tags), ["name"]), OdooJsonContext.Default.CategoryRecordArray, operation, cancellationToken).ConfigureAwait(false);
            foreach (var tag in found)
            {
                Remember(tag.Id, tag.Name);
            }
        }
    }

    /// <summary>
    /// Reads the installed languages (active <c>res.lang</c> rows) once per instance: <c>res.partner.lang</c> takes only
    /// those, and a value outside them makes Odoo refuse the whole row. Readable by every internal user.
    /// </summary>
    public async Task EnsureLanguagesAsync(string operation, CancellationToken cancellationToken)
    {
        if (_languages is not null)
        {
            return;
        }

        var found = await _transport.ExecuteAsync(
            _calls.SearchRead("res.lang", OdooDomain.Empty.Where("active", "=", true), ["code"]),
            OdooJsonContext.Default.LanguageRecordArray,
            operation,
            cancellationToken).ConfigureAwait(false);
        _languages = [.. found.Select(l => l.Code).OfType<string>()];
    }

    /// <summary>Whether Odoo has <paramref name="code"/> (<c>de_DE</c>) installed; true until <see cref="EnsureLanguagesAsync"/> has run.</summary>
    public bool IsInstalled(string code) => _languages is not { } installed || installed.Contains(code);

    public long? CountryId(string isoCode) => _countryByCode.TryGetValue(isoCode, out var id) ? id : null;

    public long? StateId(long countryId, string code) => _stateByCode.TryGetValue((countryId, code.ToUpperInvariant()), out var id) ? id : null;

    public long? TagId(string name) => _tagByName.TryGetValue(name.Trim(), out var id) ? id : null;

    public string? CountryCode(long countryId) => _codeByCountry.TryGetValue(countryId, out var code) ? code : null;

    public (string CountryCode, string Code)? State(long stateId) => _stateById.TryGetValue(stateId, out var state) ? state : null;

    public string? TagName(long tagId) => _nameByTag.TryGetValue(tagId, out var name) ? name : null;

    private async Task ReadCountriesAsync(long[] ids, string operation, CancellationToken cancellationToken)
    {
        var found = await _transport.ExecuteAsync(_calls.SearchRead("res.country", OdooDomain.Empty.WhereIn("id", ids), ["code"]), OdooJsonContext.Default.CountryRecordArray, operation, cancellationToken).ConfigureAwait(false);
        foreach (var country in found)
        {
            if (country.Code is { } code)
            {
                _countryByCode[code.ToUpperInvariant()] = country.Id;
                _codeByCountry[country.Id] = code.ToUpperInvariant();
            }
        }
    }

    private void Remember(StateRecord state)
    {
        if (state.Code is { } code && state.CountryId is long countryId)
        {
            _stateByCode[(countryId, code.ToUpperInvariant())] = state.Id;
            if (CountryCode(countryId) is { } countryCode)
            {
                _stateById[state.Id] = (countryCode, code.ToUpperInvariant());
            }
        }
    }

    private void Remember(long id, string? name)
    {
        if (name is not null)
        {
            _tagByName[name.Trim()] = id;
            _nameByTag[id] = name;
        }
    }
}
