namespace HandPose.Imaging.Jpeg;

/// <summary>One colour component of a frame: sampling factors, tables and its decoded sample plane.</summary>
internal sealed class JpegComponent
{
    /// <summary>Component identifier from the SOF segment.</summary>
    public int Id { get; init; }

    /// <summary>Horizontal sampling factor (1..4).</summary>
    public int H { get; init; }

    /// <summary>Vertical sampling factor (1..4).</summary>
    public int V { get; init; }

    /// <summary>Quantisation table index (0..3).</summary>
    public int QuantIndex { get; init; }

    /// <summary>Samples per row: ceil(width × H / Hmax).</summary>
    public int DownWidth;

    /// <summary>Rows: ceil(height × V / Vmax).</summary>
    public int DownHeight;

    /// <summary>Blocks per row in a single-component scan.</summary>
    public int BlocksX;

    /// <summary>Block rows in a single-component scan.</summary>
    public int BlocksY;

    /// <summary>Blocks per row in the MCU-padded layout (MCUs per row × H).</summary>
    public int PaddedBlocksX;

    /// <summary>Block rows in the MCU-padded layout.</summary>
    public int PaddedBlocksY;

    /// <summary>Decoded samples, <see cref="Stride"/> = PaddedBlocksX × 8 bytes per row.</summary>
    public byte[] Plane = [];

    /// <summary>Bytes per plane row.</summary>
    public int Stride;

    /// <summary>Progressive mode: every block's coefficients, 64 per block in natural order.</summary>
    public short[]? Coefficients;

    /// <summary>The quantisation table latched when the component's first scan started.</summary>
    public int[]? Quant;

    /// <summary>DC table selected by the current scan.</summary>
    public int DcTable;

    /// <summary>AC table selected by the current scan.</summary>
    public int AcTable;

    /// <summary>DC predictor.</summary>
    public int Predictor;
}

/// <summary>Everything the markers declared: frame geometry, components, tables and application data.</summary>
internal sealed class JpegFrame
{
    /// <summary>Image width.</summary>
    public int Width;

    /// <summary>Image height.</summary>
    public int Height;

    /// <summary>Whether the frame is SOF2 (progressive Huffman).</summary>
    public bool Progressive;

    /// <summary>Whether an SOF segment was read.</summary>
    public bool HasFrame;

    /// <summary>Components in SOF order.</summary>
    public JpegComponent[] Components = [];

    /// <summary>Largest horizontal sampling factor.</summary>
    public int MaxH = 1;

    /// <summary>Largest vertical sampling factor.</summary>
    public int MaxV = 1;

    /// <summary>MCUs per row of an interleaved scan.</summary>
    public int McusX;

    /// <summary>MCU rows of an interleaved scan.</summary>
    public int McusY;

    /// <summary>MCUs per restart interval (0 = none).</summary>
    public int RestartInterval;

    /// <summary>Quantisation tables in natural order (null until defined).</summary>
    public readonly int[]?[] Quant = new int[4][];

    /// <summary>DC Huffman tables.</summary>
    public readonly HuffmanTable?[] DcTables = new HuffmanTable[4];

    /// <summary>AC Huffman tables.</summary>
    public readonly HuffmanTable?[] AcTables = new HuffmanTable[4];

    /// <summary>Whether a JFIF APP0 segment was seen.</summary>
    public bool SawJfif;

    /// <summary>Adobe APP14 transform flag, -1 when absent.</summary>
    public int AdobeTransform = -1;

    /// <summary>EXIF orientation (1..8).</summary>
    public int Orientation = 1;

    /// <summary>Number of scans decoded.</summary>
    public int ScanCount;

    /// <summary>Whether the three components are stored as RGB (no colour transform).</summary>
    public bool IsRgb =>
        Components.Length == 3 && !SawJfif && (AdobeTransform == 0
            || (AdobeTransform < 0 && Components[0].Id == 'R' && Components[1].Id == 'G' && Components[2].Id == 'B'));

    /// <summary>The chroma subsampling name ("4:2:0", ...) or null for grayscale.</summary>
    public string? Subsampling
    {
        get
        {
            if (Components.Length < 3)
            {
                return null;
            }

            JpegComponent y = Components[0], cb = Components[1], cr = Components[2];
            if (cb.H == cr.H && cb.V == cr.V && y.H == MaxH && y.V == MaxV && MaxH % cb.H == 0 && MaxV % cb.V == 0)
            {
                return (MaxH / cb.H, MaxV / cb.V) switch
                {
                    (1, 1) => "4:4:4",
                    (2, 1) => "4:2:2",
                    (2, 2) => "4:2:0",
                    (1, 2) => "4:4:0",
                    (4, 1) => "4:1:1",
                    (4, 2) => "4:1:0",
                    _ => Factors(),
                };
            }

            return Factors();
        }
    }

    private string Factors() => string.Join(",", Components.Select(c => $"{c.H}x{c.V}"));
}
