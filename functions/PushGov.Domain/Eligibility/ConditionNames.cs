namespace PushGov.Domain.Eligibility;

/// <summary>
/// The condition keys a catalog may use, each with the type it loads as: the one list the catalog loader switches on,
/// names in its error messages, and the catalog's header comment documents (a test compares them).
/// </summary>
public static class ConditionNames
{
    public const string All = "all";
    public const string Any = "any";
    public const string Not = "not";
    public const string Age = "age";
    public const string Relationship = "relationship";
    public const string Children = "children";
    public const string ChildOrdinal = "childOrdinal";
    public const string UpToMarchAfter = "upToMarchAfter";
    public const string SingleParent = "singleParent";
    public const string HouseholdSize = "householdSize";
    public const string Income = "income";
    public const string NonTaxable = "nonTaxable";
    public const string Damage = "damage";
    public const string MovedIn = "movedIn";
    public const string Nationality = "nationality";
    public const string EventKind = "eventKind";
    public const string Assume = "assume";

    /// <summary>Every key and the condition type it loads as, in the order the documentation lists them.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Registered { get; } =
    [
        (All, typeof(AllCondition)),
        (Any, typeof(AnyCondition)),
        (Not, typeof(NotCondition)),
        (Age, typeof(AgeCondition)),
        (Relationship, typeof(RelationshipCondition)),
        (Children, typeof(ChildrenCondition)),
        (ChildOrdinal, typeof(ChildOrdinalCondition)),
        (UpToMarchAfter, typeof(UpToMarchAfterCondition)),
        (SingleParent, typeof(SingleParentCondition)),
        (HouseholdSize, typeof(HouseholdSizeCondition)),
        (Income, typeof(IncomeCondition)),
        (NonTaxable, typeof(NonTaxableCondition)),
        (Damage, typeof(DamageCondition)),
        (MovedIn, typeof(MovedInCondition)),
        (Nationality, typeof(NationalityCondition)),
        (EventKind, typeof(EventKindCondition)),
        (Assume, typeof(AssumeCondition)),
    ];

    /// <summary>"all, any, not, …, assume": for error messages.</summary>
    public static string Listed { get; } = string.Join(", ", Registered.Select(r => r.Name));
}
