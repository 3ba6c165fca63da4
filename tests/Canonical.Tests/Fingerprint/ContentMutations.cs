using System.Collections.Immutable;

namespace Concord.Canonical.Tests.Fingerprint;

/// <summary>One change per content field of the model, keyed "Type.Property: what changes".</summary>
internal static class ContentMutations
{
    public static readonly IReadOnlyDictionary<string, Func<CanonicalCustomer, CanonicalCustomer>> All = new Dictionary<string, Func<CanonicalCustomer, CanonicalCustomer>>(StringComparer.Ordinal)
    {
        ["CanonicalCustomer.Kind: person"] = c => c with { Kind = CustomerKind.Person },
        ["CanonicalCustomer.Name: other"] = c => c with { Name = c.Name + "!" },
        ["CanonicalCustomer.Name: case"] = c => c with { Name = c.Name.ToUpperInvariant() },
        ["CanonicalCustomer.LegalName: removed"] = c => c with { LegalName = null },
        ["CanonicalCustomer.Status: archived"] = c => c with { Status = CustomerStatus.Archived },
        ["CanonicalCustomer.Contacts: added"] = c => c with { Contacts = c.Contacts.Add(new Contact { Name = "New" }) },
        ["CanonicalCustomer.Contacts: reordered"] = c => c with { Contacts = c.Contacts.Add(new Contact { Name = "Zed" }).Reverse().ToImmutableArray() },
        ["CanonicalCustomer.Addresses: removed"] = c => c with { Addresses = c.Addresses.RemoveAt(1) },
        ["CanonicalCustomer.TaxIds: removed"] = c => c with { TaxIds = [] },
        ["CanonicalCustomer.Emails: primary swapped"] = c => c with { Emails = c.Emails.Reverse().ToImmutableArray() },
        ["CanonicalCustomer.Phones: added"] = c => c with { Phones = c.Phones.Add(new PhoneNumber { Raw = "+49 30 7654321" }) },
        ["CanonicalCustomer.Website: other"] = c => c with { Website = "https://acme.de/kontakt" },
        ["CanonicalCustomer.Domain: other, without website"] = c => c with { Website = null, Domain = "acme.com" },
        ["CanonicalCustomer.LifecycleStage: former"] = c => c with { LifecycleStage = LifecycleStage.Former },
        ["CanonicalCustomer.LifecycleStage: none"] = c => c with { LifecycleStage = null },
        ["CanonicalCustomer.Consents: added"] = c => c with { Consents = c.Consents.Add(new ConsentRecord { Channel = ConsentChannel.Post, Status = ConsentStatus.Unknown }) },
        ["CanonicalCustomer.Currency: CHF"] = c => c with { Currency = "CHF" },
        ["CanonicalCustomer.Language: de-AT"] = c => c with { Language = "de-AT" },
        ["CanonicalCustomer.Tags: added"] = c => c with { Tags = c.Tags.Add("new") },
        ["CanonicalCustomer.Notes: other"] = c => c with { Notes = "Changed." },
        ["CanonicalCustomer.CustomAttributes: value"] = c => c with { CustomAttributes = c.CustomAttributes.SetItem("segment", "smb") },
        ["CanonicalCustomer.CustomAttributes: key"] = c => c with { CustomAttributes = c.CustomAttributes.Add("region", "emea") },
        ["Contact.Name: other"] = c => WithContact(c, x => x with { Name = "Augusta Ada King" }),
        ["Contact.GivenName: other"] = c => WithContact(c, x => x with { GivenName = "Augusta" }),
        ["Contact.FamilyName: removed"] = c => WithContact(c, x => x with { FamilyName = null }),
        ["Contact.JobTitle: other"] = c => WithContact(c, x => x with { JobTitle = "CEO" }),
        ["Contact.Emails: other"] = c => WithContact(c, x => x with { Emails = [new EmailAddress { Address = "ada@lovelace.uk" }] }),
        ["Contact.Phones: removed"] = c => WithContact(c, x => x with { Phones = [] }),
        ["Contact.Language: other"] = c => WithContact(c, x => x with { Language = "fr" }),
        ["PostalAddress.Role: other"] = c => WithAddress(c, a => a with { Role = AddressRole.Other }),
        ["PostalAddress.Name: added"] = c => WithAddress(c, a => a with { Name = "HQ" }),
        ["PostalAddress.Street: other"] = c => WithAddress(c, a => a with { Street = "Unter den Linden 1" }),
        ["PostalAddress.Street2: added"] = c => WithAddress(c, a => a with { Street2 = "3. OG" }),
        ["PostalAddress.City: other"] = c => WithAddress(c, a => a with { City = "Potsdam" }),
        ["PostalAddress.PostalCode: other"] = c => WithAddress(c, a => a with { PostalCode = "10115" }),
        ["PostalAddress.Region: other"] = c => WithAddress(c, a => a with { Region = "DE-BB" }),
        ["PostalAddress.Country: other"] = c => WithAddress(c, a => a with { Country = "AT", Region = null }),
        ["TaxIdentifier.Type: other"] = c => WithTaxId(c, t => t with { Type = TaxIdType.CompanyRegistry }),
        ["TaxIdentifier.Value: other"] = c => WithTaxId(c, t => t with { Value = "DE987654321" }),
        ["TaxIdentifier.Country: other"] = c => WithTaxId(c, t => t with { Country = "AT" }),
        ["EmailAddress.Address: other"] = c => c with { Emails = c.Emails.SetItem(0, c.Emails[0] with { Address = "hello@acme.de" }) },
        ["EmailAddress.Use: other"] = c => c with { Emails = c.Emails.SetItem(0, c.Emails[0] with { Use = ContactPointUse.Home }) },
        ["PhoneNumber.Raw: other, without E.164 form"] = c => c with { Phones = c.Phones.SetItem(0, c.Phones[0] with { Raw = "030 1234567", E164 = null }) },
        ["PhoneNumber.E164: other"] = c => c with { Phones = c.Phones.SetItem(0, c.Phones[0] with { E164 = "+49301234568" }) },
        ["PhoneNumber.E164: removed"] = c => c with { Phones = c.Phones.SetItem(0, c.Phones[0] with { E164 = null }) },
        ["PhoneNumber.Use: other"] = c => c with { Phones = c.Phones.SetItem(0, c.Phones[0] with { Use = ContactPointUse.Fax }) },
        ["ConsentRecord.Channel: other"] = c => WithConsent(c, r => r with { Channel = ConsentChannel.Sms }),
        ["ConsentRecord.Status: other"] = c => WithConsent(c, r => r with { Status = ConsentStatus.Withdrawn }),
        ["ConsentRecord.RecordedAt: one tick later"] = c => WithConsent(c, r => r with { RecordedAt = r.RecordedAt!.Value.AddTicks(1) }),
        ["ConsentRecord.Source: other"] = c => WithConsent(c, r => r with { Source = "import" }),
    };

    private static CanonicalCustomer WithContact(CanonicalCustomer c, Func<Contact, Contact> change) => c with { Contacts = c.Contacts.SetItem(0, change(c.Contacts[0])) };

    private static CanonicalCustomer WithAddress(CanonicalCustomer c, Func<PostalAddress, PostalAddress> change) => c with { Addresses = c.Addresses.SetItem(0, change(c.Addresses[0])) };

    private static CanonicalCustomer WithTaxId(CanonicalCustomer c, Func<TaxIdentifier, TaxIdentifier> change) => c with { TaxIds = c.TaxIds.SetItem(0, change(c.TaxIds[0])) };

    private static CanonicalCustomer WithConsent(CanonicalCustomer c, Func<ConsentRecord, ConsentRecord> change) => c with { Consents = c.Consents.SetItem(0, change(c.Consents[0])) };
}
