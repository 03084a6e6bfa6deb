using System.Globalization;
using PushGov.Domain.Residents;
using C = PushGov.Domain.Drops.DropColumns;

namespace PushGov.Domain.Drops;

// The drop reader, part 3 of 4: one typed row per dataset (data-drops.md), built from the field readers.
public static partial class DropReader
{
    private sealed partial class Parser
    {
        private ResidentChangeRow? ResidentChange()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var code = ChangeCodeOf();
            var changeDate = ExactDate(C.ChangeDate, required: true);
            var notified = ExactDate(C.NotifiedDate, required: false);
            var person = PersonOf();
            return _error is null && person is not null
                ? new ResidentChangeRow(_line, recordId!, code, changeDate!.Value, notified, person)
                : null;
        }

        private ResidentRow? Resident()
        {
            var person = PersonOf();
            return _error is null && person is not null ? new ResidentRow(_line, person) : null;
        }

        private TaxRow? Tax()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var fiscalYear = 0;
            var yearText = Text(C.FiscalYear, required: true);
            if (yearText is not null && !JapaneseDate.TryParseFiscalYear(yearText, out fiscalYear, out var yearError))
            {
                Fail(C.FiscalYear, "fiscal_year: " + yearError);
            }

            var income = 0L;
            var incomeText = Text(C.TaxableIncome, required: true);
            if (incomeText is not null)
            {
                var digits = incomeText.Replace(",", string.Empty, StringComparison.Ordinal).Replace("円", string.Empty, StringComparison.Ordinal).TrimStart('¥', '￥');
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out income))
                {
                    Fail(C.TaxableIncome, "taxable_income is not a whole number of yen");
                }
            }

            var nonTaxable = Flag(C.NonTaxable, "非課税", "課税");
            return _error is null ? new TaxRow(_line, new TaxRecord(residentId!, fiscalYear, income, nonTaxable)) : null;
        }

        private PregnancyRow? Pregnancy()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var notified = ExactDate(C.NotifiedDate, required: true);
            var expected = ExactDate(C.ExpectedDeliveryDate, required: true);
            return _error is null
                ? new PregnancyRow(_line, new PregnancyRecord(recordId!, residentId!, notified!.Value, expected!.Value))
                : null;
        }

        private DisasterRow? Disaster()
        {
            var recordId = Id(C.RecordId, checkDigit: false);
            var householdId = Id(C.HouseholdId, _options.CheckDigit);
            var name = FreeText(C.DisasterName, required: true);
            var levelText = Code(C.DamageLevel, required: true);
            var level = DamageLevel.Partial;
            if (levelText is not null && !DamageLevels.TryParse(levelText, out level))
            {
                Fail(C.DamageLevel, $"unknown damage_level '{Clip(levelText)}' (expected {DamageLevels.Listed}, or map the tenant's code)");
            }

            var certified = ExactDate(C.CertifiedDate, required: true);
            return _error is null
                ? new DisasterRow(_line, new DisasterCertificate(recordId!, householdId!, name!, level, certified!.Value))
                : null;
        }

        private ContactRow? Contact()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var channelText = Code(C.Channel, required: true);
            var channel = Channel.Post;
            switch (channelText?.ToLowerInvariant())
            {
                case null:
                    break;
                case "sms":
                    channel = Channel.Sms;
                    break;
                case "email" or "e-mail":
                    channel = Channel.Email;
                    break;
                case "post":
                    channel = Channel.Post;
                    break;
                default:
                    Fail(C.Channel, $"unknown channel '{Clip(channelText)}' (expected sms, email or post, or map the tenant's code)");
                    break;
            }

            var address = Text(C.Address, required: true);
            if (address is not null && _error is null)
            {
                switch (channel)
                {
                    case Channel.Sms:
                        if (ContactAddress.TryNormalizeMobile(address, out var e164, out var phoneError))
                        {
                            address = e164;
                        }
                        else
                        {
                            Fail(C.Address, "address: " + phoneError);
                        }

                        break;
                    case Channel.Email:
                        if (!ContactAddress.IsEmail(address))
                        {
                            Fail(C.Address, "address is not an e-mail address");
                        }

                        break;
                    default:
                        address = MapGaiji(C.Address, address);
                        FormulaWarning(C.Address, address);
                        break;
                }
            }

            string? language = null;
            var languageText = Code(C.Language, required: false);
            if (languageText is not null)
            {
                if (ContactAddress.IsLanguageTag(languageText))
                {
                    language = ContactAddress.CanonicalLanguageTag(languageText);
                }
                else
                {
                    Fail(C.Language, $"language '{Clip(languageText)}' is not a BCP 47 tag (e.g. ja, ja-x-easy, en, zh-Hans)");
                }
            }

            var consent = Flag(C.Consent, "同意", "撤回");
            var consentedAt = Timestamp(C.ConsentedAt);
            return _error is null
                ? new ContactRow(_line, new ContactRecord(residentId!, channel, address!, language, consent, consentedAt, "drop"))
                : null;
        }

        private Person? PersonOf()
        {
            var residentId = Id(C.ResidentId, _options.CheckDigit);
            var householdId = Id(C.HouseholdId, _options.CheckDigit);
            var familyName = FreeText(C.FamilyName, required: true);
            var givenName = FreeText(C.GivenName, required: true);
            var familyKana = FreeText(C.FamilyNameKana, required: false);
            var givenKana = FreeText(C.GivenNameKana, required: false);
            var birth = BirthDate();
            var sex = SexOf();
            var relationship = Code(C.Relationship, required: true);
            if (relationship is not null)
            {
                FormulaWarning(C.Relationship, relationship);
            }

            var postal = PostalCode();
            var address = FreeText(C.Address, required: false);
            var nationality = NationalityOf();
            if (_error is not null)
            {
                return null;
            }

            return new Person
            {
                ResidentId = residentId!,
                HouseholdId = householdId!,
                FamilyName = familyName!,
                GivenName = givenName!,
                FamilyNameKana = familyKana,
                GivenNameKana = givenKana,
                BirthDate = birth,
                Sex = sex,
                Relationship = relationship!,
                PostalCode = postal,
                Address = address,
                Nationality = nationality,
                Gaiji = _rowGaiji.Count > 0 ? [.. _rowGaiji] : null,
            };
        }
    }
}
