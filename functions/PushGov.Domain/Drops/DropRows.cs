using PushGov.Domain.Residents;

namespace PushGov.Domain.Drops;

/// <summary>Canonical 異動事由 codes (see ../shared/spec/data-drops.md); a tenant maps its vendor's codes to these.</summary>
public enum ChangeCode
{
    BIRTH,
    MOVE_IN,
    MOVE_IN_ABROAD,
    DEATH,
    MOVE_OUT,
    MOVE_OUT_ABROAD,
    RELOCATION,
    HOUSEHOLD_SPLIT,
    HOUSEHOLD_MERGE,
    HOUSEHOLD_CHANGE,
    HEAD_CHANGE,
    MARRIAGE,
    DIVORCE,
    CORRECTION,
}

/// <summary>One accepted row of a drop. <see cref="Line"/> is the 1-based physical line where the row starts (the header is line 1).</summary>
public abstract record DropRow(long Line);

/// <summary>A row of <c>resident-changes</c> (住民記録の異動データ): the person as they are after the change.</summary>
public sealed record ResidentChangeRow(long Line, string RecordId, ChangeCode ChangeCode, DateOnly ChangeDate, DateOnly? NotifiedDate, Person Person)
    : DropRow(Line);

/// <summary>A row of a <c>residents</c> snapshot: one living resident.</summary>
public sealed record ResidentRow(long Line, Person Person) : DropRow(Line);

public sealed record TaxRow(long Line, TaxRecord Record) : DropRow(Line);

public sealed record PregnancyRow(long Line, PregnancyRecord Record) : DropRow(Line);

public sealed record DisasterRow(long Line, DisasterCertificate Record) : DropRow(Line);

public sealed record ContactRow(long Line, ContactRecord Record) : DropRow(Line);
