using System.Text;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Tests.Drops;

/// <summary>
/// Code page 932 block by block, each built by enumerating every lead/trail byte pair of the block (not a few examples):
/// how many cells are assigned, that each decodes, that decoding, encoding (the canonical cell) and decoding again
/// gives the same character, and that the two cells of one character decode to the same string.
/// </summary>
public class Cp932Tests
{
    /// <summary>A block: its lead bytes and, on its last lead byte, the last trail byte it uses.</summary>
    public sealed record Block(string Name, int[] Leads, int FirstCell, int LastCell, int Assigned)
    {
        public IEnumerable<int> Cells() =>
            Leads.SelectMany(lead => Trails().Select(trail => (lead << 8) | trail)).Where(c => c >= FirstCell && c <= LastCell);

        public override string ToString() => Name;
    }

    private static IEnumerable<int> Trails() => Enumerable.Range(0x40, 0xFC - 0x40 + 1).Where(t => t != 0x7F);

    private static int[] Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1)];

    // JIS X 0208: 524 non-kanji (rows 1–8) + 6,355 kanji (rows 16–84) = 6,879 characters.
    public static readonly Block Jis0208 = new("JIS X 0208", [.. Range(0x81, 0x84), .. Range(0x88, 0x9F), .. Range(0xE0, 0xEA)], 0x8140, 0xEAA4, 6879);

    // NEC special characters, row 13: ①–⑳ Ⅰ–Ⅹ, ㍉…㎡, ㍻ and 〝…∪ (83 cells, 9 of them copies of JIS X 0208 symbols).
    public static readonly Block NecRow13 = new("NEC row 13", [0x87], 0x8740, 0x879C, 83);

    // NEC-selected IBM extensions, rows 89–92: 360 kanji, ⅰ–ⅹ, ￢ ￤ ＇ ＂ (0xEEED and 0xEEEE are unassigned).
    public static readonly Block NecSelectedIbm = new("NEC-selected IBM extensions", [0xED, 0xEE], 0xED40, 0xEEFC, 374);

    // IBM extensions, rows 115–119: ⅰ–ⅹ Ⅰ–Ⅹ ￢ ￤ ＇ ＂ ㈱ № ℡ ∵ and the same 360 kanji.
    public static readonly Block Ibm = new("IBM extensions", [0xFA, 0xFB, 0xFC], 0xFA40, 0xFC4B, 388);

    // User-defined characters (外字): 10 lead bytes × 188 cells, to U+E000–U+E757 in order.
    public static readonly Block UserDefined = new("user-defined (外字)", Range(0xF0, 0xF9), 0xF040, 0xF9FC, 1880);

    public static TheoryData<Block> Blocks => [Jis0208, NecRow13, NecSelectedIbm, Ibm, UserDefined];

    private static string Decode(int cell) => Cp932Encoding.Instance.GetString([(byte)(cell >> 8), (byte)cell]);

    private static int Encode(string text)
    {
        var bytes = Cp932Encoding.Instance.GetBytes(text);
        Assert.Equal(2, bytes.Length);
        return (bytes[0] << 8) | bytes[1];
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Every_assigned_cell_of_the_block_decodes_to_one_character_and_survives_a_round_trip(Block block)
    {
        var assigned = 0;
        foreach (var cell in block.Cells())
        {
            var text = Decode(cell);
            Assert.Equal(1, text.Length);
            if (text == "\uFFFD")
            {
                continue;
            }

            assigned++;
            Assert.Equal(text, Decode(Encode(text)));
        }

        Assert.Equal(block.Assigned, assigned);
    }

    [Fact]
    public void Jis_x_0208_cells_decode_as_the_platform_code_page_does_and_are_their_own_canonical_cells()
    {
        foreach (var cell in Jis0208.Cells())
        {
            var text = Decode(cell);
            Assert.Equal(Cp932Encoding.Platform.GetString([(byte)(cell >> 8), (byte)cell]), text);
            if (text != "\uFFFD")
            {
                Assert.Equal(cell, Encode(text));
            }
        }
    }

    [Fact]
    public void Nec_row_13_has_exactly_nine_copies_of_jis_x_0208_symbols_that_decode_like_them()
    {
        var jis = Jis0208.Cells().Select(Decode).Where(t => t != "\uFFFD").ToHashSet();
        var copies = NecRow13.Cells().Where(c => jis.Contains(Decode(c))).ToList();

        Assert.Equal([0x8790, 0x8791, 0x8792, 0x8795, 0x8796, 0x8797, 0x879A, 0x879B, 0x879C], copies);
        Assert.All(copies, c => Assert.InRange(Encode(Decode(c)), 0x8140, 0x84BE));
    }

    [Fact]
    public void Each_nec_selected_ibm_extension_cell_is_the_same_character_as_its_ibm_extension_twin()
    {
        // The kanji of both blocks are the same 360 in the same order; ⅰ–ⅹ and ￢ ￤ ＇ ＂ are in both too.
        var necKanji = NecSelectedIbm.Cells().Where(c => c <= 0xEEEC).ToList();
        var ibmKanji = Ibm.Cells().Where(c => c >= 0xFA5C).ToList();
        Assert.Equal(360, necKanji.Count);
        Assert.Equal(necKanji.Count, ibmKanji.Count);
        for (var i = 0; i < necKanji.Count; i++)
        {
            var text = Decode(necKanji[i]);
            Assert.NotEqual("\uFFFD", text);
            Assert.Equal(Decode(ibmKanji[i]), text);
            Assert.Equal(ibmKanji[i], Encode(text)); // Windows writes the IBM cell: the canonical one
        }

        var ibmText = Ibm.Cells().Select(Decode).ToHashSet();
        Assert.All(NecSelectedIbm.Cells().Where(c => c > 0xEEEC).Select(Decode).Where(t => t != "\uFFFD"), t => Assert.Contains(t, ibmText));
    }

    [Theory]
    [InlineData(0xEEE0, 0xFBFC, "髙")]
    [InlineData(0xED95, 0xFAB1, "﨑")]
    [InlineData(0xED9E, 0xFABA, "德")]
    [InlineData(0xEDF1, 0xFB50, "瀨")]
    public void The_common_surname_kanji_decode_the_same_from_either_cell(int nec, int ibm, string expected)
    {
        Assert.Equal(expected, Decode(nec));
        Assert.Equal(expected, Decode(ibm));
        Assert.Equal(Decode(nec), Decode(ibm), StringComparer.Ordinal);
    }

    [Fact]
    public void User_defined_cells_decode_to_private_use_code_points_in_order_and_back()
    {
        var cells = UserDefined.Cells().ToList();
        for (var i = 0; i < cells.Count; i++)
        {
            var c = (char)(Cp932Encoding.FirstPrivateUse + i);
            Assert.Equal(c.ToString(), Decode(cells[i]));
            Assert.Equal(cells[i], Cp932Encoding.UserDefinedCell(c));
            Assert.True(Cp932Encoding.TryUserDefinedChar(cells[i], out var back));
            Assert.Equal(c, back);
        }

        Assert.Equal(Cp932Encoding.LastPrivateUse, (char)(Cp932Encoding.FirstPrivateUse + cells.Count - 1));
        Assert.False(Cp932Encoding.TryUserDefinedChar(0xF07F, out _));
        Assert.False(Cp932Encoding.TryUserDefinedChar(0xFA40, out _));
    }

    [Fact]
    public void Cells_outside_every_block_are_not_text()
    {
        int[] unassignedLeads = [0x85, 0x86, 0xEB, 0xEC, 0xEF];
        Assert.All(unassignedLeads.SelectMany(l => Trails().Select(t => (l << 8) | t)), c => Assert.Equal("\uFFFD", Decode(c)));
        Assert.All(Trails().Where(t => t > 0x9C).Select(t => 0x8700 | t), c => Assert.Equal("\uFFFD", Decode(c)));
        Assert.All(Trails().Where(t => t > 0x4B).Select(t => 0xFC00 | t), c => Assert.Equal("\uFFFD", Decode(c)));
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x2C, 0x41 }, "\uFFFD,A")]
    [InlineData(new byte[] { 0xE9, 0x22, 0x41 }, "\uFFFD\"A")]
    [InlineData(new byte[] { 0x41, 0x80, 0xA0, 0xFD, 0xFE, 0xFF }, "A\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD")]
    [InlineData(new byte[] { 0x41, 0x88 }, "A\uFFFD")]
    [InlineData(new byte[] { 0xB6, 0xDE }, "ｶﾞ")]
    public void A_broken_character_becomes_one_replacement_and_never_swallows_the_next_byte(byte[] bytes, string expected) =>
        Assert.Equal(expected, Cp932Encoding.Instance.GetString(bytes));

    [Fact]
    public void Decoding_across_buffer_boundaries_holds_a_lead_byte_until_its_trail_arrives()
    {
        var expected = "髙橋,﨑,德,①,\uE000\n";
        byte[] bytes = [0xEE, 0xE0, .. Cp932Encoding.Instance.GetBytes(expected[1..])];
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoder = Cp932Encoding.Instance.GetDecoder();
            var chars = new char[64];
            var n = decoder.GetChars(bytes, 0, split, chars, 0, flush: false);
            n += decoder.GetChars(bytes, split, bytes.Length - split, chars, n, flush: true);
            Assert.Equal(expected, new string(chars, 0, n));
            Assert.Equal(n, Cp932Encoding.Instance.GetCharCount(bytes));
        }
    }

    [Fact]
    public void Every_block_read_as_a_cp932_drop_is_accepted_with_the_decoded_names()
    {
        foreach (var block in new[] { Jis0208, NecRow13, NecSelectedIbm, Ibm })
        {
            var cells = block.Cells().Where(c => Decode(c) != "\uFFFD").ToList();
            var bytes = new List<byte>(Encoding.ASCII.GetBytes("resident_id,household_id,family_name,given_name,birth_date,relationship\n"));
            var expected = new List<string>();
            foreach (var chunk in cells.Chunk(12))
            {
                var id = (1000000 + expected.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
                bytes.AddRange(Encoding.ASCII.GetBytes($"{id},H1,\""));
                foreach (var cell in chunk)
                {
                    bytes.Add((byte)(cell >> 8));
                    bytes.Add((byte)cell);
                }

                bytes.AddRange(Encoding.ASCII.GetBytes("\",X,1990-01-01,1\n"));
                expected.Add(TextNormalizer.Normalize(string.Concat(chunk.Select(Decode))));
            }

            var (rows, report) = DropTestHelper.Read([.. bytes], Dataset.Residents);

            Assert.True(report.RejectedCount == 0, $"{block}: {string.Join("; ", report.Rejected.Take(3))}");
            Assert.StartsWith("cp932", report.Encoding, StringComparison.Ordinal);
            var names = rows.Cast<ResidentRow>().Select(r => r.Person.FamilyName).ToList();
            Assert.Equal(expected.Where(e => e.Length > 0), names);
        }
    }
}
