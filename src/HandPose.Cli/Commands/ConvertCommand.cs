using System.CommandLine;
using HandPose.Imaging;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose convert IN OUT.png</c>: decode any supported image and write it as an 8-bit PNG.</summary>
internal sealed class ConvertCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var input = new Argument<string>("IN") { Description = "A JPEG, PNG, PGM or PPM file." };
        var output = new Argument<string>("OUT") { Description = "The PNG file to write (replaced if it exists)." };
        var keepAlpha = new Option<bool>("--keep-alpha") { Description = "Write RGBA when the input has alpha or transparency (default: RGB, alpha dropped, stored colours kept)." };
        var orientation = new Option<bool>("--apply-orientation") { Description = "Rotate/flip by the JPEG EXIF orientation tag." };
        var command = new Command("convert", "Decode an image and write it as an 8-bit RGB PNG (RGBA with --keep-alpha).")
        {
            input, output, keepAlpha, orientation,
        };
        command.SetAction(parse => context.Guard(() =>
            Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(keepAlpha), parse.GetValue(orientation))));
        return command;
    }

    internal static int Run(string input, string output, bool keepAlpha, bool applyOrientation)
    {
        ImageBuffer image = ImageDecoder.Load(input, new ImageDecoderOptions { ApplyExifOrientation = applyOrientation });
        PixelFormat target = keepAlpha && image.Format == PixelFormat.Rgba32 ? PixelFormat.Rgba32 : PixelFormat.Rgb24;
        ImageBuffer converted = image.Format == target ? image : ImageTransforms.ConvertFormat(image.AsView(), target);
        ImageEncoder.SavePng(converted.AsView(), output);
        return CliApp.Ok;
    }
}
