using System.Buffers.Binary;
using System.Text;

namespace HandPose.Torch.Internal;

/// <summary>
/// The symbol-version tables of a 64-bit little-endian ELF shared library, found the way the dynamic loader finds
/// them: program headers -> PT_DYNAMIC -> DT_VERNEED/DT_VERNEEDNUM (needed versions, <c>.gnu.version_r</c>),
/// DT_VERDEF/DT_VERDEFNUM (defined versions, <c>.gnu.version_d</c>) and DT_STRTAB, with addresses mapped to file
/// offsets through the PT_LOAD segments. Every read is bounds-checked.
/// </summary>
internal sealed class ElfVersionTable
{
    private const uint PtLoad = 1;
    private const uint PtDynamic = 2;
    private const long DtNull = 0;
    private const long DtStrtab = 5;
    private const long DtVerdef = 0x6ffffffc;
    private const long DtVerdefnum = 0x6ffffffd;
    private const long DtVerneed = 0x6ffffffe;
    private const long DtVerneednum = 0x6fffffff;

    /// <summary>vna_flags bit: a missing version is not an error for the dynamic loader.</summary>
    public const ushort VerFlagWeak = 0x2;

    private readonly string _path;
    private readonly byte[] _bytes;

    private ElfVersionTable(string path, byte[] bytes, IReadOnlyList<NeededVersion> needed, IReadOnlyList<string> defined)
    {
        _path = path;
        _bytes = bytes;
        Needed = needed;
        Defined = defined;
    }

    /// <summary>One vernaux entry: a version name required from a library, its flags and the file offset of vna_flags.</summary>
    public sealed record NeededVersion(string Library, string Name, ushort Flags, long FlagsOffset)
    {
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    /// <summary>Every version the library requires from its dependencies, in file order.</summary>
    public IReadOnlyList<NeededVersion> Needed { get; }

    /// <summary>Every version name the library defines (for libstdc++: GLIBCXX_3.4, ..., the newest it has).</summary>
    public IReadOnlyList<string> Defined { get; }

    /// <summary>Parses the file.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not a 64-bit little-endian ELF file, or malformed.</exception>
    public static ElfVersionTable Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, ex.Message, ex);
        }

        return Parse(path, bytes);
    }

    /// <summary>Parses an ELF image held in memory (<paramref name="path"/> names it in errors).</summary>
    public static ElfVersionTable Parse(string path, byte[] bytes)
    {
        var r = new Reader(path, bytes);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new ModelLoadException(path, "not an ELF file (no \\x7fELF magic)");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new ModelLoadException(path, $"only 64-bit little-endian ELF is supported (class {bytes[4]}, data {bytes[5]})");
        }

        long phoff = r.U64(0x20);
        int phentsize = r.U16(0x36);
        int phnum = r.U16(0x38);
        if (phentsize < 56)
        {
            throw new ModelLoadException(path, $"program header entries of {phentsize} bytes (expected 56)");
        }

        var loads = new List<(long VAddr, long Offset, long Size)>();
        (long Offset, long Size)? dynamic = null;
        for (int i = 0; i < phnum; i++)
        {
            long at = phoff + ((long)i * phentsize);
            uint type = r.U32(at);
            if (type == PtLoad)
            {
                loads.Add((r.U64(at + 16), r.U64(at + 8), r.U64(at + 32)));
            }
            else if (type == PtDynamic)
            {
                dynamic = (r.U64(at + 8), r.U64(at + 32));
            }
        }

        if (dynamic is null)
        {
            return new ElfVersionTable(path, bytes, [], []); // a static executable or an object file: no versions
        }

        long strtab = 0, verneed = 0, verneedNum = 0, verdef = 0, verdefNum = 0;
        for (long at = dynamic.Value.Offset; at + 16 <= dynamic.Value.Offset + dynamic.Value.Size; at += 16)
        {
            long tag = (long)r.U64Raw(at);
            if (tag == DtNull)
            {
                break;
            }

            long value = r.U64(at + 8);
            switch (tag)
            {
                case DtStrtab: strtab = value; break;
                case DtVerneed: verneed = value; break;
                case DtVerneednum: verneedNum = value; break;
                case DtVerdef: verdef = value; break;
                case DtVerdefnum: verdefNum = value; break;
                default: break;
            }
        }

        long ToOffset(long address, string what)
        {
            foreach ((long vaddr, long offset, long size) in loads)
            {
                if (address >= vaddr && address < vaddr + size)
                {
                    return offset + (address - vaddr);
                }
            }

            throw new ModelLoadException(path, $"{what} address 0x{address:x} is in no PT_LOAD segment");
        }

        if (strtab == 0 && (verneedNum > 0 || verdefNum > 0))
        {
            throw new ModelLoadException(path, "version tables without a DT_STRTAB");
        }

        long strings = strtab == 0 ? 0 : ToOffset(strtab, "DT_STRTAB");
        var needed = new List<NeededVersion>();
        long entry = verneedNum > 0 ? ToOffset(verneed, "DT_VERNEED") : 0;
        for (long n = 0; n < verneedNum; n++)
        {
            int count = r.U16(entry + 2);
            string library = r.String(strings + r.U32(entry + 4));
            long aux = entry + r.U32(entry + 8);
            for (int k = 0; k < count; k++)
            {
                needed.Add(new NeededVersion(library, r.String(strings + r.U32(aux + 8)), r.U16(aux + 4), aux + 4));
                aux += r.U32(aux + 12);
            }

            entry += r.U32(entry + 12);
        }

        var defined = new List<string>();
        entry = verdefNum > 0 ? ToOffset(verdef, "DT_VERDEF") : 0;
        for (long n = 0; n < verdefNum; n++)
        {
            long aux = entry + r.U32(entry + 12);
            defined.Add(r.String(strings + r.U32(aux)));
            entry += r.U32(entry + 16);
        }

        return new ElfVersionTable(path, bytes, needed, defined);
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every needed-version entry named <paramref name="versionName"/> and writes the file back
    /// (only when a flag changed). Returns how many entries changed: 0 when absent or already weak.
    /// </summary>
    public int MakeWeak(string versionName)
    {
        int changed = 0;
        foreach (NeededVersion v in Needed)
        {
            if (v.Name == versionName && !v.IsWeak)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan((int)v.FlagsOffset, 2), (ushort)(v.Flags | VerFlagWeak));
                changed++;
            }
        }

        if (changed > 0)
        {
            // Write beside the file and rename over it: a crash never leaves a half-written library.
            string temporary = _path + ".handpose-tmp";
            File.WriteAllBytes(temporary, _bytes);
            File.Move(temporary, _path, overwrite: true);
        }

        return changed;
    }

    private readonly struct Reader(string path, byte[] bytes)
    {
        private ReadOnlySpan<byte> At(long offset, int length)
        {
            if (offset < 0 || offset > bytes.Length - length)
            {
                throw new ModelLoadException(path, $"truncated or malformed ELF: read of {length} bytes at offset {offset} past the end ({bytes.Length} bytes)");
            }

            return bytes.AsSpan((int)offset, length);
        }

        public ushort U16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(At(offset, 2));

        public uint U32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(At(offset, 4));

        public ulong U64Raw(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(At(offset, 8));

        public long U64(long offset)
        {
            ulong v = U64Raw(offset);
            return v > long.MaxValue
                ? throw new ModelLoadException(path, $"ELF field at offset {offset} is out of range (0x{v:x})")
                : (long)v;
        }

        public string String(long offset)
        {
            At(offset, 1);
            int end = Array.IndexOf(bytes, (byte)0, (int)offset);
            return end < 0
                ? throw new ModelLoadException(path, $"unterminated string at offset {offset}")
                : Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
        }
    }
}
