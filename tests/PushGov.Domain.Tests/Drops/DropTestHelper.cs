using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

internal static class DropTestHelper
{
    public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

    public static Encoding Cp932()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932);
    }

    public static (List<DropRow> Rows, DropReport Report) Read(string csv, Dataset dataset, DropOptions? options = null, Encoding? encoding = null, bool bom = false)
    {
        var bytes = (encoding ?? Utf8NoBom).GetBytes(csv);
        if (bom)
        {
            bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        }

        return Read(bytes, dataset, options);
    }

    public static (List<DropRow> Rows, DropReport Report) Read(byte[] bytes, Dataset dataset, DropOptions? options = null)
    {
        var report = new DropReport();
        using var stream = new MemoryStream(bytes);
        var rows = DropReader.Read(stream, dataset, options ?? DropOptions.Default, report).ToList();
        return (rows, report);
    }
}
