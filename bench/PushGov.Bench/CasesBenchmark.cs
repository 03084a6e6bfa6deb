namespace PushGov.Bench; public static partial class CasesBenchmark;
