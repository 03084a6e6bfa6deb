namespace PushGov.Domain.Eligibility;

/// <summary>
/// Age in Japanese law (年齢計算ニ関スル法律, 民法 143条), as eligibility needs it: a person attains an age at the
/// end of the day before the anniversary of their birth, so someone born on 29 February attains each age on
/// 28 February. Kept internal to Eligibility until the shared <c>LegalAge</c> helper is merged.
/// </summary>
internal static class EligibilityAge
{
    /// <summary>The day at whose end a person born on <paramref name="birth"/> attains <paramref name="age"/>.</summary>
    public static DateOnly AttainedOn(DateOnly birth, int age)
    {
        var year = birth.Year + age;
        var anniversary = birth is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year)
            ? new DateOnly(year, 3, 1)
            : new DateOnly(year, birth.Month, birth.Day);
        return anniversary.AddDays(-1);
    }

    /// <summary>The age held on <paramref name="day"/>: the largest age attained on or before that day.</summary>
    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        if (day < birth)
        {
            return -1;
        }

        var age = day.Year - birth.Year + 1;
        while (age > 0 && AttainedOn(birth, age) > day)
        {
            age--;
        }

        return age;
    }

    /// <summary>"Up to the 31 March after attaining <paramref name="age"/>" (…歳に達する日以後の最初の3月31日まで).</summary>
    public static DateOnly MarchEndAfter(DateOnly birth, int age)
    {
        var attained = AttainedOn(birth, age);
        var march31 = new DateOnly(attained.Year, 3, 31);
        return attained <= march31 ? march31 : march31.AddYears(1);
    }

    /// <summary>年度: the fiscal year (April to March) a day belongs to.</summary>
    public static int FiscalYearOf(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;
}
