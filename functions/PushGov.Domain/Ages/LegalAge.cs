namespace PushGov.Domain.Ages;

/// <summary>
/// Age as Japanese law counts it (年齢計算ニ関スル法律 and 民法 143条).
/// <para>
/// Age is counted from the day of birth (初日算入), and a period of N years ends at the end of the day
/// before the day in the N-th year that corresponds to the day of birth (応当日). So a person attains an
/// age at the end of the day before their birthday anniversary. When the anniversary does not exist
/// (a 29 February birth in a common year), 民法 143条2項 ends the period on the last day of that month:
/// the age is attained at the end of 28 February, exactly as if the anniversary were 1 March.
/// </para>
/// <para>
/// "Age on day D" (<see cref="AgeOn"/>) is the age reached by the end of D: on the day an age is
/// attained (the day before the birthday) the person already counts as that age. This is how the
/// administration applies the rule: 介護保険 coverage starts on 「65歳に達した日」, the day before the 65th
/// birthday, and a child is of school age from the first 1 April after 「満6歳に達した日」.
/// </para>
/// </summary>
public static class LegalAge
{
    /// <summary>
    /// The birthday anniversary (応当日) of <paramref name="birth"/> in <paramref name="year"/>; for a
    /// 29 February birth in a common year, 1 March (the day after the last day of February).
    /// </summary>
    public static DateOnly Anniversary(DateOnly birth, int year) =>
        birth is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year)
            ? new DateOnly(year, 3, 1)
            : new DateOnly(year, birth.Month, birth.Day);

    /// <summary>
    /// The day at whose end the person attains <paramref name="age"/> (「<paramref name="age"/>歳に達した日」):
    /// the day before the anniversary. For a 29 February birth in a common year: 28 February.
    /// </summary>
    public static DateOnly DayAgeIsAttained(DateOnly birth, int age)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(age);
        return Anniversary(birth, birth.Year + age).AddDays(-1);
    }

    /// <summary>
    /// The age reached by the end of <paramref name="day"/> (see the type's remarks): 0 from the day of
    /// birth until the day before the first anniversary, which already counts as 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="day"/> is before the birth.</exception>
    public static int AgeOn(DateOnly birth, DateOnly day)
    {
        if (day < birth)
        {
            throw new ArgumentOutOfRangeException(nameof(day), "The day is before the birth.");
        }

        // The age attained in day.Year is either (day.Year - birth.Year) or, for a 1 January birth whose
        // anniversary in the next year makes its day-before fall on 31 December, one more.
        var age = day.Year - birth.Year + 1;
        while (age > 0 && DayAgeIsAttained(birth, age) > day)
        {
            age--;
        }

        return age;
    }

    /// <summary>
    /// The day compulsory schooling starts (学校教育法 17条): the first 1 April after the day the child
    /// attains 6. A child born on 1 April attains 6 on 31 March and starts the next day; one born on
    /// 2 April attains 6 on 1 April and starts a year later.
    /// </summary>
    public static DateOnly SchoolEntryDate(DateOnly birth)
    {
        var attained = DayAgeIsAttained(birth, 6);
        var april = new DateOnly(attained.Year, 4, 1);
        return attained < april ? april : april.AddYears(1);
    }

    /// <summary>
    /// The first 31 March on or after the day the person attains <paramref name="age"/>
    /// (「<paramref name="age"/>歳に達する日以後の最初の3月31日」, e.g. 児童手当法 3条 with 18): the end of the
    /// fiscal year in which the age is attained. A child born on 1 April attains 18 on 31 March, which is
    /// that day itself; one born on 2 April attains it on 1 April and stays a child until the next 31 March.
    /// </summary>
    public static DateOnly EndOfFiscalYearAfterAge(DateOnly birth, int age)
    {
        var attained = DayAgeIsAttained(birth, age);
        var march = new DateOnly(attained.Year, 3, 31);
        return attained <= march ? march : march.AddYears(1);
    }
}
