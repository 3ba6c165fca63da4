using System.Collections.Frozen;

namespace Concord.Canonical.Normalization;

/// <summary>
/// ISO 3166-2 subdivision codes ↔ names, for vendors whose state or province is free text (HubSpot's <c>state</c>,
/// Salesforce's <c>BillingState</c> without State and Country/Territory picklists): connectors write the name
/// (<c>US-CA</c> → <c>California</c>) and read a name, a common English or local alias, the local code (<c>CA</c>) or
/// the full code back as the ISO 3166-2 code. The table holds the countries whose addresses name a state, province or
/// federal state as a rule: US, CA, AU, DE, AT, CH, NL, BR, MX. A subdivision it does not hold is written as its local
/// code and read back from that code.
/// </summary>
public static class SubdivisionNames
{
    private const string Table =
        "US-AL Alabama|US-AK Alaska|US-AZ Arizona|US-AR Arkansas|US-CA California|US-CO Colorado|US-CT Connecticut|US-DE Delaware|" +
        "US-FL Florida|US-GA Georgia|US-HI Hawaii|US-ID Idaho|US-IL Illinois|US-IN Indiana|US-IA Iowa|US-KS Kansas|US-KY Kentucky|" +
        "US-LA Louisiana|US-ME Maine|US-MD Maryland|US-MA Massachusetts|US-MI Michigan|US-MN Minnesota|US-MS Mississippi|US-MO Missouri|" +
        "US-MT Montana|US-NE Nebraska|US-NV Nevada|US-NH New Hampshire|US-NJ New Jersey|US-NM New Mexico|US-NY New York|" +
        "US-NC North Carolina|US-ND North Dakota|US-OH Ohio|US-OK Oklahoma|US-OR Oregon|US-PA Pennsylvania|US-RI Rhode Island|" +
        "US-SC South Carolina|US-SD South Dakota|US-TN Tennessee|US-TX Texas|US-UT Utah|US-VT Vermont|US-VA Virginia|US-WA Washington|" +
        "US-WV West Virginia|US-WI Wisconsin|US-WY Wyoming|US-DC District of Columbia|US-AS American Samoa|US-GU Guam|" +
        "US-MP Northern Mariana Islands|US-PR Puerto Rico|US-UM United States Minor Outlying Islands|US-VI U.S. Virgin Islands|" +
        "CA-AB Alberta|CA-BC British Columbia|CA-MB Manitoba|CA-NB New Brunswick|CA-NL Newfoundland and Labrador|CA-NS Nova Scotia|" +
        "CA-NT Northwest Territories|CA-NU Nunavut|CA-ON Ontario|CA-PE Prince Edward Island|CA-QC Quebec|CA-SK Saskatchewan|CA-YT Yukon|" +
        "AU-ACT Australian Capital Territory|AU-NSW New South Wales|AU-NT Northern Territory|AU-QLD Queensland|AU-SA South Australia|" +
        "AU-TAS Tasmania|AU-VIC Victoria|AU-WA Western Australia|" +
        "DE-BW Baden-Württemberg|DE-BY Bayern|DE-BE Berlin|DE-BB Brandenburg|DE-HB Bremen|DE-HH Hamburg|DE-HE Hessen|" +
        "DE-MV Mecklenburg-Vorpommern|DE-NI Niedersachsen|DE-NW Nordrhein-Westfalen|DE-RP Rheinland-Pfalz|DE-SL Saarland|DE-SN Sachsen|" +
        "DE-ST Sachsen-Anhalt|DE-SH Schleswig-Holstein|DE-TH Thüringen|" +
        "AT-1 Burgenland|AT-2 Kärnten|AT-3 Niederösterreich|AT-4 Oberösterreich|AT-5 Salzburg|AT-6 Steiermark|AT-7 Tirol|AT-8 Vorarlberg|" +
        "AT-9 Wien|" +
        "CH-AG Aargau|CH-AI Appenzell Innerrhoden|CH-AR Appenzell Ausserrhoden|CH-BE Bern|CH-BL Basel-Landschaft|CH-BS Basel-Stadt|" +
        "CH-FR Fribourg|CH-GE Genève|CH-GL Glarus|CH-GR Graubünden|CH-JU Jura|CH-LU Luzern|CH-NE Neuchâtel|CH-NW Nidwalden|" +
        "CH-OW Obwalden|CH-SG St. Gallen|CH-SH Schaffhausen|CH-SO Solothurn|CH-SZ Schwyz|CH-TG Thurgau|CH-TI Ticino|CH-UR Uri|CH-VD Vaud|" +
        "CH-VS Valais|CH-ZG Zug|CH-ZH Zürich|" +
        "NL-DR Drenthe|NL-FL Flevoland|NL-FR Fryslân|NL-GE Gelderland|NL-GR Groningen|NL-LI Limburg|NL-NB Noord-Brabant|" +
        "NL-NH Noord-Holland|NL-OV Overijssel|NL-UT Utrecht|NL-ZE Zeeland|NL-ZH Zuid-Holland|" +
        "BR-AC Acre|BR-AL Alagoas|BR-AP Amapá|BR-AM Amazonas|BR-BA Bahia|BR-CE Ceará|BR-DF Distrito Federal|BR-ES Espírito Santo|" +
        "BR-GO Goiás|BR-MA Maranhão|BR-MT Mato Grosso|BR-MS Mato Grosso do Sul|BR-MG Minas Gerais|BR-PA Pará|BR-PB Paraíba|BR-PR Paraná|" +
        "BR-PE Pernambuco|BR-PI Piauí|BR-RJ Rio de Janeiro|BR-RN Rio Grande do Norte|BR-RS Rio Grande do Sul|BR-RO Rondônia|BR-RR Roraima|" +
        "BR-SC Santa Catarina|BR-SP São Paulo|BR-SE Sergipe|BR-TO Tocantins|" +
        "MX-AGU Aguascalientes|MX-BCN Baja California|MX-BCS Baja California Sur|MX-CAM Campeche|MX-CHP Chiapas|MX-CHH Chihuahua|" +
        "MX-CMX Ciudad de México|MX-COA Coahuila|MX-COL Colima|MX-DUR Durango|MX-GUA Guanajuato|MX-GRO Guerrero|MX-HID Hidalgo|" +
        "MX-JAL Jalisco|MX-MEX México|MX-MIC Michoacán|MX-MOR Morelos|MX-NAY Nayarit|MX-NLE Nuevo León|MX-OAX Oaxaca|MX-PUE Puebla|" +
        "MX-QUE Querétaro|MX-ROO Quintana Roo|MX-SLP San Luis Potosí|MX-SIN Sinaloa|MX-SON Sonora|MX-TAB Tabasco|MX-TAM Tamaulipas|" +
        "MX-TLA Tlaxcala|MX-VER Veracruz|MX-YUC Yucatán|MX-ZAC Zacatecas";

    private static readonly (string Code, string Name)[] Aliases =
    [
        ("US-DC", "Washington, D.C."), ("US-DC", "Washington DC"), ("US-VI", "Virgin Islands"), ("US-VI", "United States Virgin Islands"),
        ("CA-QC", "Québec"), ("CA-YT", "Yukon Territory"), ("CA-NL", "Newfoundland"),
        ("DE-BW", "Baden-Wuerttemberg"), ("DE-BY", "Bavaria"), ("DE-HE", "Hesse"), ("DE-NI", "Lower Saxony"), ("DE-NW", "North Rhine-Westphalia"),
        ("DE-RP", "Rhineland-Palatinate"), ("DE-SN", "Saxony"), ("DE-ST", "Saxony-Anhalt"), ("DE-TH", "Thuringia"), ("DE-TH", "Thueringen"),
        ("AT-2", "Carinthia"), ("AT-3", "Lower Austria"), ("AT-4", "Upper Austria"), ("AT-6", "Styria"), ("AT-7", "Tyrol"), ("AT-9", "Vienna"),
        ("AT-3", "Niederoesterreich"), ("AT-4", "Oberoesterreich"), ("AT-2", "Kaernten"),
        ("CH-GE", "Geneva"), ("CH-GE", "Genf"), ("CH-BE", "Berne"), ("CH-FR", "Freiburg"), ("CH-GR", "Grisons"), ("CH-LU", "Lucerne"),
        ("CH-ZH", "Zurich"), ("CH-ZH", "Zuerich"), ("CH-SG", "Sankt Gallen"), ("CH-TI", "Tessin"), ("CH-VD", "Waadt"), ("CH-VS", "Wallis"),
        ("CH-NE", "Neuenburg"),
        ("NL-FR", "Friesland"), ("NL-NB", "North Brabant"), ("NL-NH", "North Holland"), ("NL-ZH", "South Holland"),
        ("MX-CMX", "Mexico City"), ("MX-CMX", "Distrito Federal"), ("MX-MEX", "State of Mexico"), ("MX-MEX", "Estado de México"),
        ("MX-NLE", "Nuevo Leon"), ("MX-MIC", "Michoacan"), ("MX-QUE", "Queretaro"), ("MX-SLP", "San Luis Potosi"), ("MX-YUC", "Yucatan"),
        ("MX-COA", "Coahuila de Zaragoza"), ("MX-VER", "Veracruz de Ignacio de la Llave"), ("MX-MIC", "Michoacán de Ocampo"),
        ("BR-SP", "Sao Paulo"), ("BR-CE", "Ceara"), ("BR-GO", "Goias"), ("BR-PR", "Parana"), ("BR-PA", "Para"), ("BR-AP", "Amapa"),
        ("BR-MA", "Maranhao"), ("BR-PB", "Paraiba"), ("BR-PI", "Piaui"), ("BR-RO", "Rondonia"), ("BR-ES", "Espirito Santo"),
    ];

    private static readonly FrozenDictionary<string, string> NameByCode;
    private static readonly FrozenDictionary<string, string> CodeByCountryAndName;

    static SubdivisionNames()
    {
        var byCode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Table.Split('|'))
        {
            var space = entry.IndexOf(' ', StringComparison.Ordinal);
            var code = entry[..space];
            var name = entry[(space + 1)..];
            byCode[code] = name;
            byName[Key(code[..2], name)] = code;
        }

        foreach (var (code, name) in Aliases)
        {
            byName.TryAdd(Key(code[..2], name), code);
        }

        NameByCode = byCode.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        CodeByCountryAndName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every ISO 3166-2 code the table names.</summary>
    public static IEnumerable<string> Codes => NameByCode.Keys.AsEnumerable();

    /// <summary>The name of ISO 3166-2 code <paramref name="code"/> (<c>US-CA</c> → <c>California</c>), or null when the table does not hold it.</summary>
    /// <param name="code">An ISO 3166-2 code such as <c>US-CA</c>, any case.</param>
    /// <returns>The name, or null.</returns>
    public static string? NameOf(string? code) => code is not null && NameByCode.TryGetValue(code.Trim(), out var name) ? name : null;

    /// <summary>
    /// The ISO 3166-2 code of a subdivision of <paramref name="country"/> written as a name, an alias, its local code
    /// (<c>CA</c>) or its full code (<c>US-CA</c>), case-insensitive, or null when the table does not know it.
    /// </summary>
    /// <param name="country">The ISO 3166-1 alpha-2 code of the address's country.</param>
    /// <param name="text">The subdivision as the vendor holds it.</param>
    /// <returns>The ISO 3166-2 code, or null.</returns>
    public static string? CodeOf(string? country, string? text)
    {
        if (country is not { Length: 2 } || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var upperCountry = country.ToUpperInvariant();
        if (CodeByCountryAndName.TryGetValue(Key(upperCountry, trimmed), out var byName))
        {
            return byName;
        }

        var full = trimmed.StartsWith(upperCountry + "-", StringComparison.OrdinalIgnoreCase) ? trimmed : string.Concat(upperCountry, "-", trimmed);
        return NameByCode.ContainsKey(full) ? full.ToUpperInvariant() : null;
    }

    private static string Key(string country, string name) => string.Concat(country, "|", name);
}
