using PushGov.Domain.Ages;

namespace PushGov.Domain.Eligibility;

/// <summary>
/// The legal age rule as conditions use it: <see cref="LegalAge"/>, with "not yet born" as age −1 instead of an error
/// (a condition on an unborn person simply does not hold).
/// </summary>
internal static class EligibilityAge
{
    /// <summary>The day at whose end a person born on <paramref name="birth"/> attains <paramref name="age"/>.</summary>
    public static DateOnly AttainedOn(DateOnly birth, int age) => LegalAge.DayAgeIsAttained(birth, age);

    /// <summary>The age held on <paramref name="day"/>: the largest age attained on or before that day; −1 before birth.</summary>
    public static int AgeOn(DateOnly birth, DateOnly day) => day < birth ? -1 : LegalAge.AgeOn(birth, day);

    /// <summary>"Up to the 31 March after attaining <paramref name="age"/>" (…歳に達する日以後の最初の3月31日まで).</summary>
    public static DateOnly MarchEndAfter(DateOnly birth, int age) => LegalAge.EndOfFiscalYearAfterAge(birth, age);

    /// <summary>年度: the fiscal year (April to March) a day belongs to.</summary>
    public static int FiscalYearOf(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;
}
