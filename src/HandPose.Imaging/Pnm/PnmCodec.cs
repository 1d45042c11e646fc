using System.Globalization;
using System.Text;

namespace HandPose.Imaging.Pnm;

/// <summary>Binary PGM (P5) and PPM (P6), maxval 1–65535 (samples scaled to 8 bits by rounding); writes P5/P6 8-bit.</summary>
internal static class PnmCodec
{
    public static bool IsPnm(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == (byte)'P' && (data[1] == (byte)'5' || data[1] == (byte)'6');

    public static ImageInfo Identify(ReadOnlySpan<byte> data)
    {
        Header h = ReadHeader(data);
        return new ImageInfo(h.Gray ? "PGM" : "PPM", h.Width, h.Height, h.Gray ? 1 : 3, h.MaxVal > 255 ? 16 : 8);
    }

    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        Header h = ReadHeader(data);
        string fmt = h.Gray ? "PGM" : "PPM";
        if ((long)h.Width * h.Height > options.MaxPixels)
        {
            throw new ImageFormatException(fmt, $"{h.Width}x{h.Height} exceeds the pixel limit of {options.MaxPixels} (ImageDecoderOptions.MaxPixels).");
        }

        int channels = h.Gray ? 1 : 3, bytesPerSample = h.MaxVal > 255 ? 2 : 1;
        long needed = (long)h.Width * h.Height * channels * bytesPerSample;
        if (data.Length - h.DataOffset < needed)
        {
            throw new ImageFormatException(fmt, $"truncated: {needed} bytes of pixels expected, {data.Length - h.DataOffset} present.");
        }

        var image = new ImageBuffer(h.Width, h.Height, h.Gray ? PixelFormat.Gray8 : PixelFormat.Rgb24);
        ReadOnlySpan<byte> pixels = data[h.DataOffset..];
        Span<byte> dst = image.Memory.Span;
        for (int i = 0; i < dst.Length; i++)
        {
            int v = bytesPerSample == 1 ? pixels[i] : (pixels[2 * i] << 8) | pixels[(2 * i) + 1];
            if (v > h.MaxVal)
            {
                throw new ImageFormatException(fmt, $"sample {v} exceeds maxval {h.MaxVal}.");
            }

            dst[i] = h.MaxVal == 255 ? (byte)v : (byte)(((v * 255) + (h.MaxVal / 2)) / h.MaxVal);
        }

        return image;
    }

    public static void Write(ImageView image, Stream output)
    {
        if (image.Format == PixelFormat.Rgba32)
        {
            throw new ArgumentException("PNM holds gray or RGB; convert RGBA first (ImageTransforms.ConvertFormat).", nameof(image));
        }

        bool gray = image.Format == PixelFormat.Gray8;
        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(gray ? "P5" : "P6")}\n{image.Width} {image.Height}\n255\n")));
        for (int y = 0; y < image.Height; y++)
        {
            output.Write(image.GetRow(y));
        }
    }

    private static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        if (!IsPnm(data))
        {
            throw new ImageFormatException("PNM", "missing P5/P6 magic number.");
        }

        bool gray = data[1] == (byte)'5';
        string fmt = gray ? "PGM" : "PPM";
        int pos = 2;
        int width = Number(data, ref pos, fmt), height = Number(data, ref pos, fmt), maxVal = Number(data, ref pos, fmt);
        if (pos >= data.Length || !IsSpace(data[pos]))
        {
            throw new ImageFormatException(fmt, "header not followed by a single whitespace byte.");
        }

        if (width <= 0 || height <= 0 || maxVal is <= 0 or > 65535)
        {
            throw new ImageFormatException(fmt, $"invalid header: {width}x{height}, maxval {maxVal}.");
        }

        return new Header(gray, width, height, maxVal, pos + 1);
    }

    private static int Number(ReadOnlySpan<byte> data, ref int pos, string fmt)
    {
        while (pos < data.Length && (IsSpace(data[pos]) || data[pos] == (byte)'#'))
        {
            if (data[pos] == (byte)'#')
            {
                while (pos < data.Length && data[pos] != (byte)'\n')
                {
                    pos++;
                }
            }
            else
            {
                pos++;
            }
        }

        long value = 0;
        int start = pos;
        while (pos < data.Length && data[pos] >= (byte)'0' && data[pos] <= (byte)'9' && value <= int.MaxValue)
        {
            value = (value * 10) + (data[pos++] - '0');
        }

        if (pos == start || value > int.MaxValue)
        {
            throw new ImageFormatException(fmt, $"malformed header number at byte {start}.");
        }

        return (int)value;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private readonly record struct Header(bool Gray, int Width, int Height, int MaxVal, int DataOffset);
}
