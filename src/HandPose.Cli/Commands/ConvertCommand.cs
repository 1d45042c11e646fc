using System.CommandLine;
using HandPose.Imaging;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose convert IN OUT</c>: decode any supported image and write it as the PNG, JPEG or WebP its extension names.</summary>
internal sealed class ConvertCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var input = new Argument<string>("IN") { Description = "A JPEG, PNG, WebP, GIF or BMP file." };
        var output = new Argument<string>("OUT") { Description = "The file to write (replaced if it exists): .png, .jpg/.jpeg or .webp." };
        var keepAlpha = new Option<bool>("--keep-alpha") { Description = "Write RGBA when the input has alpha or transparency (default: RGB, alpha dropped, stored colours kept)." };
        var orientation = new Option<bool>("--apply-orientation") { Description = "Rotate/flip by the EXIF orientation tag." };
        var command = new Command("convert", "Decode an image and write it as 8-bit RGB (RGBA with --keep-alpha) PNG, JPEG (quality 90) or WebP, by OUT's extension.")
        {
            input, output, keepAlpha, orientation,
        };
        command.SetAction(parse => context.Guard(() =>
            Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(keepAlpha), parse.GetValue(orientation))));
        return command;
    }

    internal static int Run(string input, string output, bool keepAlpha, bool applyOrientation)
    {
        ImageFileFormat format = ImageEncoder.FormatFromPath(output); // before decoding: a bad extension fails fast
        ImageBuffer image = ImageDecoder.Load(input, new ImageDecoderOptions { ApplyExifOrientation = applyOrientation });
        PixelFormat target = keepAlpha && image.Format == PixelFormat.Rgba32 ? PixelFormat.Rgba32 : PixelFormat.Rgb24;
        ImageBuffer converted = image.Format == target ? image : ImageTransforms.ConvertFormat(image.AsView(), target);
        OutputFiles.WriteOne(output, "OUT", path =>
        {
            using FileStream file = File.Create(path);
            ImageEncoder.Write(converted.AsView(), file, format);
        });

        return CliApp.Ok;
    }
}
