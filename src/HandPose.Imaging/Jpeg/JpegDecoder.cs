using System.Buffers.Binary;

namespace HandPose.Imaging.Jpeg;

/// <summary>
/// Managed JPEG decoder matching libjpeg-turbo's defaults bit for bit: baseline, extended and progressive Huffman,
/// 8-bit, grayscale, YCbCr and RGB, any integral sampling factors, the "islow" integer IDCT, "fancy" chroma
/// upsampling and libjpeg's integer YCbCr to RGB tables.
/// </summary>
/// <remarks>Stateless and thread-safe. Every malformed input throws <see cref="ImageFormatException"/>.</remarks>
internal static class JpegDecoder
{
    /// <summary>The format name used in exceptions and <see cref="ImageInfo"/>.</summary>
    public const string FormatName = "JPEG";

    /// <summary>Whether the data starts with the SOI marker (FF D8 FF).</summary>
    /// <param name="data">File bytes.</param>
    /// <returns>True for a JPEG stream.</returns>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Reads the header (up to the first scan) without decoding pixels.</summary>
    /// <param name="data">File bytes.</param>
    /// <returns>Size, channels, subsampling, progressive flag and EXIF orientation.</returns>
    /// <exception cref="ImageFormatException">The header is malformed or of an unsupported kind.</exception>
    public static ImageInfo Identify(ReadOnlySpan<byte> data)
    {
        JpegFrame frame = new();
        ReadMarkers(data, frame, options: null);
        return new ImageInfo(FormatName, frame.Width, frame.Height, frame.Components.Length, 8)
        {
            Subsampling = frame.Subsampling,
            Progressive = frame.Progressive,
            Orientation = frame.Orientation,
        };
    }

    /// <summary>Decodes the image: <see cref="PixelFormat.Rgb24"/> for colour, <see cref="PixelFormat.Gray8"/> for grayscale.</summary>
    /// <param name="data">File bytes.</param>
    /// <param name="options">Pixel limit and EXIF orientation handling.</param>
    /// <returns>The pixels.</returns>
    /// <exception cref="ImageFormatException">The data is malformed, truncated, too large or of an unsupported kind.</exception>
    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        JpegFrame frame = new();
        ReadMarkers(data, frame, options);
        if (frame.Progressive)
        {
            JpegScanDecoder.InverseTransformAll(frame);
        }

        ImageBuffer image = JpegColorOutput.Render(frame);
        return options.ApplyExifOrientation && frame.Orientation != 1 ? ExifOrientation.Apply(image, frame.Orientation) : image;
    }

    /// <summary>An exception for corrupt data.</summary>
    internal static ImageFormatException Corrupt(string reason) => new(FormatName, reason);

    /// <summary>Position of the next marker (FF followed by neither 00 nor FF) at or after <paramref name="pos"/>, or -1.</summary>
    internal static int FindMarker(ReadOnlySpan<byte> data, int pos)
    {
        while (true)
        {
            int i = data[Math.Min(pos, data.Length)..].IndexOf((byte)0xFF);
            if (i < 0)
            {
                return -1;
            }

            pos += i;
            if (pos + 1 >= data.Length)
            {
                return -1;
            }

            byte next = data[pos + 1];
            if (next != 0 && next != 0xFF)
            {
                return pos;
            }

            pos++;
        }
    }

    /// <summary>Walks the markers; with options it decodes every scan, without it stops at the first scan.</summary>
    private static void ReadMarkers(ReadOnlySpan<byte> data, JpegFrame frame, ImageDecoderOptions? options)
    {
        if (!IsJpeg(data))
        {
            throw Corrupt("the data does not start with the SOI marker FF D8");
        }

        int pos = 2;
        while (true)
        {
            int m = FindMarker(data, pos);
            if (m < 0)
            {
                if (frame.ScanCount > 0 && options is not null)
                {
                    return; // missing EOI after complete scans: accepted, as libjpeg does
                }

                throw Corrupt(frame.HasFrame ? "the file ends before any scan data" : "the file ends before the frame header (SOF)");
            }

            byte marker = data[m + 1];
            pos = m + 2;
            if (marker == 0xD9)
            {
                if (frame.ScanCount == 0)
                {
                    throw Corrupt("EOI reached before any scan");
                }

                return;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            if (pos + 2 > data.Length)
            {
                throw Corrupt($"marker 0x{marker:X2} is truncated");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
            {
                throw Corrupt($"marker 0x{marker:X2} declares {length} bytes but {data.Length - pos} remain");
            }

            ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
            pos += length;
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    ReadFrameHeader(segment, frame, progressive: marker == 0xC2, options);
                    break;
                case 0xC3 or 0xC7 or 0xCB or 0xCF:
                    throw new ImageFormatException(FormatName, "lossless JPEG (SOF3/7/11/15) is not supported; only baseline and progressive Huffman JPEG are");
                case 0xC5 or 0xC6 or 0xCD or 0xCE:
                    throw new ImageFormatException(FormatName, "hierarchical JPEG (SOF5/6/13/14) is not supported; only baseline and progressive Huffman JPEG are");
                case 0xC9 or 0xCA:
                    throw new ImageFormatException(FormatName, "arithmetic-coded JPEG (SOF9/10) is not supported; only Huffman-coded JPEG is");
                case 0xC8:
                    throw new ImageFormatException(FormatName, "JPEG extension frames (SOF 0xC8, e.g. JPEG-LS) are not supported");
                case 0xC4:
                    ReadHuffmanTables(segment, frame);
                    break;
                case 0xCC:
                    throw new ImageFormatException(FormatName, "arithmetic-coded JPEG (DAC marker) is not supported; only Huffman-coded JPEG is");
                case 0xDB:
                    ReadQuantTables(segment, frame);
                    break;
                case 0xDD:
                    if (segment.Length < 2)
                    {
                        throw Corrupt("the DRI segment is too short");
                    }

                    frame.RestartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case 0xDC:
                    throw new ImageFormatException(FormatName, "a DNL marker (height defined after the scan) is not supported");
                case 0xE0:
                    frame.SawJfif |= segment.Length >= 5 && segment[..5].SequenceEqual("JFIF\0"u8);
                    break;
                case 0xE1:
                    if (segment.Length >= 6 && segment[..6].SequenceEqual("Exif\0\0"u8))
                    {
                        frame.Orientation = ExifOrientation.Read(segment[6..]);
                    }

                    break;
                case 0xEE:
                    if (segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
                    {
                        frame.AdobeTransform = segment[11];
                    }

                    break;
                case 0xDA:
                    if (!frame.HasFrame)
                    {
                        throw Corrupt("a scan (SOS) comes before the frame header (SOF)");
                    }

                    if (options is null)
                    {
                        frame.ScanCount++;
                        return;
                    }

                    pos = JpegScanDecoder.DecodeScan(data, pos, segment, frame);
                    frame.ScanCount++;
                    break;
                default:
                    break; // APPn, COM and others carry nothing we need
            }
        }
    }

    private static void ReadFrameHeader(ReadOnlySpan<byte> s, JpegFrame frame, bool progressive, ImageDecoderOptions? options)
    {
        if (frame.HasFrame)
        {
            throw Corrupt("the file has more than one frame header (SOF)");
        }

        if (s.Length < 6)
        {
            throw Corrupt("the frame header (SOF) is too short");
        }

        int precision = s[0];
        if (precision != 8)
        {
            throw new ImageFormatException(FormatName, $"{precision}-bit samples are not supported; only 8-bit JPEG is (12-bit and 16-bit are rejected)");
        }

        int height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        if (width == 0 || height == 0)
        {
            throw Corrupt($"the frame declares an empty size {width}x{height}");
        }

        if (count is not (1 or 3 or 4))
        {
            throw new ImageFormatException(FormatName, $"{count} components are not supported (expected 1 grayscale or 3 colour)");
        }

        if (s.Length < 6 + (3 * count))
        {
            throw Corrupt("the frame header (SOF) is too short for its components");
        }

        var comps = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> c = s.Slice(6 + (3 * i), 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4)
            {
                throw Corrupt($"component {i} has invalid sampling factors {h}x{v}");
            }

            if (c[2] > 3)
            {
                throw Corrupt($"component {i} selects quantisation table {c[2]} (0..3 allowed)");
            }

            comps[i] = new JpegComponent { Id = c[0], H = h, V = v, QuantIndex = c[2] };
        }

        frame.Width = width;
        frame.Height = height;
        frame.Progressive = progressive;
        frame.Components = comps;
        frame.HasFrame = true;
        frame.MaxH = comps.Max(c => c.H);
        frame.MaxV = comps.Max(c => c.V);
        foreach (JpegComponent c in comps)
        {
            if (frame.MaxH % c.H != 0 || frame.MaxV % c.V != 0)
            {
                throw new ImageFormatException(FormatName, $"fractional sampling factors ({string.Join(",", comps.Select(x => $"{x.H}x{x.V}"))}) are not supported");
            }
        }

        if (options is null)
        {
            return;
        }

        if (count == 4)
        {
            throw new ImageFormatException(FormatName, "CMYK/YCCK JPEG (4 components) is not supported; convert it to RGB or grayscale first");
        }

        long pixels = (long)width * height;
        if (pixels > options.MaxPixels)
        {
            throw new ImageFormatException(FormatName, $"the image is {width}x{height} = {pixels} pixels, more than the limit of {options.MaxPixels} (ImageDecoderOptions.MaxPixels)");
        }

        if (count == 1)
        {
            // A single-component frame is never interleaved: its MCU is one block whatever the factors say.
            frame.MaxH = frame.MaxV = 1;
            comps[0] = new JpegComponent { Id = comps[0].Id, H = 1, V = 1, QuantIndex = comps[0].QuantIndex };
        }

        frame.McusX = DivCeil(width, 8 * frame.MaxH);
        frame.McusY = DivCeil(height, 8 * frame.MaxV);
        foreach (JpegComponent c in frame.Components)
        {
            c.DownWidth = DivCeil(width * c.H, frame.MaxH);
            c.DownHeight = DivCeil(height * c.V, frame.MaxV);
            c.BlocksX = DivCeil(c.DownWidth, 8);
            c.BlocksY = DivCeil(c.DownHeight, 8);
            c.PaddedBlocksX = frame.McusX * c.H;
            c.PaddedBlocksY = frame.McusY * c.V;
            c.Stride = c.PaddedBlocksX * 8;
            c.Plane = new byte[(long)c.Stride * c.PaddedBlocksY * 8];
            if (progressive)
            {
                c.Coefficients = new short[(long)c.PaddedBlocksX * c.PaddedBlocksY * 64];
            }
        }
    }

    private static void ReadQuantTables(ReadOnlySpan<byte> s, JpegFrame frame)
    {
        while (s.Length > 0)
        {
            int pq = s[0] >> 4, tq = s[0] & 15;
            if (pq > 1 || tq > 3)
            {
                throw Corrupt($"invalid quantisation table header 0x{s[0]:X2}");
            }

            int size = 1 + (64 << pq);
            if (s.Length < size)
            {
                throw Corrupt("the DQT segment is too short");
            }

            var table = new int[64];
            for (int k = 0; k < 64; k++)
            {
                // Stored as libjpeg's 16-bit multiplier type.
                int q = pq == 0 ? s[1 + k] : (short)BinaryPrimitives.ReadUInt16BigEndian(s[(1 + (2 * k))..]);
                table[JpegTables.ZigZag[k]] = q;
            }

            frame.Quant[tq] = table;
            s = s[size..];
        }
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> s, JpegFrame frame)
    {
        while (s.Length > 0)
        {
            if (s.Length < 17)
            {
                throw Corrupt("the DHT segment is too short");
            }

            int tc = s[0] >> 4, th = s[0] & 15;
            if (tc > 1 || th > 3)
            {
                throw Corrupt($"invalid Huffman table header 0x{s[0]:X2}");
            }

            ReadOnlySpan<byte> counts = s.Slice(1, 16);
            int total = 0;
            foreach (byte n in counts)
            {
                total += n;
            }

            if (total > 256 || s.Length < 17 + total)
            {
                throw Corrupt("the DHT segment is too short for its symbol counts");
            }

            HuffmanTable table = HuffmanTable.Build(counts, s.Slice(17, total), isDc: tc == 0);
            (tc == 0 ? frame.DcTables : frame.AcTables)[th] = table;
            s = s[(17 + total)..];
        }
    }

    internal static int DivCeil(int a, int b) => (a + b - 1) / b;
}
