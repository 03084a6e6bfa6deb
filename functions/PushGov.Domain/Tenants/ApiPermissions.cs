namespace PushGov.Domain.Tenants;

/// <summary>What a caller may do. A role is a set of these (<see cref="ApiPermissions.Of"/>); every route needs one.</summary>
[Flags]
public enum ApiPermission
{
    None = 0,

    /// <summary>Tell a case what the resident did: "applied", "declined".</summary>
    ResidentEvents = 1,

    /// <summary>Read and change a resident's contact preferences.</summary>
    Preferences = 2,

    /// <summary>List cases and escalations, read a case with its residents.</summary>
    ReadCases = 4,

    /// <summary>Act on a case as staff: take over, close, add a note, resend.</summary>
    ActOnCases = 8,

    /// <summary>Upload drops and read their reports.</summary>
    Drops = 16,

    /// <summary>Read what the development sink recorded (addresses masked).</summary>
    ReadSink = 32,

    /// <summary>See the development sink's addresses in clear.</summary>
    RevealAddresses = 64,

    /// <summary>Read the audit log.</summary>
    ReadAudit = 128,

    /// <summary>Start linking a resident's LINE account: only the residents' portal, which has just checked who the resident is (staff and admin never link on a resident's behalf).</summary>
    LinkLine = 256,

    /// <summary>Open a resident's signed case link and act on it as that resident (answer, confirm an application): only the residents' portal, which passes on the link the resident followed.</summary>
    ResidentLinks = 512,
}

/// <summary>
/// Roles as sets of permissions, the one place that says who may do what: staff ⊇ resident portal except
/// <see cref="ApiPermission.LinkLine"/> and <see cref="ApiPermission.ResidentLinks"/> (the resident's own acts), admin ⊇ staff, test = staff (its messages only reach the development sink, which the case engine decides, not the permissions).
/// </summary>
public static class ApiPermissions
{
    public const ApiPermission ResidentPortal = ApiPermission.ResidentEvents | ApiPermission.Preferences | ApiPermission.LinkLine | ApiPermission.ResidentLinks;

    public const ApiPermission Staff = ApiPermission.ResidentEvents | ApiPermission.Preferences | ApiPermission.ReadCases | ApiPermission.ActOnCases | ApiPermission.Drops | ApiPermission.ReadSink;

    public const ApiPermission Admin = Staff | ApiPermission.RevealAddresses | ApiPermission.ReadAudit;

    public static ApiPermission Of(ApiRole role) => role switch
    {
        ApiRole.ResidentPortal => ResidentPortal,
        ApiRole.Staff => Staff,
        ApiRole.Admin => Admin,
        ApiRole.Test => Staff,
        _ => ApiPermission.None,
    };

    /// <summary>True when the role has every permission in <paramref name="needed"/>.</summary>
    public static bool Allows(this ApiRole role, ApiPermission needed) => (Of(role) & needed) == needed;

    /// <summary>The roles that have <paramref name="needed"/>, in declaration order.</summary>
    public static IReadOnlyList<ApiRole> RolesWith(ApiPermission needed) => [.. Enum.GetValues<ApiRole>().Where(r => r.Allows(needed))];
}
