using System.CommandLine;
using HandPose.Imaging;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose info IMAGE</c>: what an image file declares (format, size, channels, bit depth, JPEG details).</summary>
internal sealed class InfoCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var image = new Argument<string>("IMAGE") { Description = "A JPEG, PNG, WebP, GIF or BMP file." };
        var command = new Command("info", "Print an image's format, width, height, channels and bit depth (and JPEG subsampling/progressive) without decoding it.")
        {
            image,
        };
        command.SetAction(parse => context.Guard(() => Report(parse.GetValue(image)!, context.Out)));
        return command;
    }

    internal static int Report(string path, TextWriter o)
    {
        ImageInfo info = ImageDecoder.Identify(File.ReadAllBytes(path));
        o.WriteLine(CliContext.Invariant($"format:      {info.Format}"));
        o.WriteLine(CliContext.Invariant($"width:       {info.Width}"));
        o.WriteLine(CliContext.Invariant($"height:      {info.Height}"));
        o.WriteLine(CliContext.Invariant($"channels:    {info.Channels}"));
        o.WriteLine(CliContext.Invariant($"bit depth:   {info.BitDepth}"));
        if (info.Format == "JPEG")
        {
            o.WriteLine(CliContext.Invariant($"subsampling: {info.Subsampling ?? "none (grayscale)"}"));
            o.WriteLine(CliContext.Invariant($"progressive: {(info.Progressive ? "yes" : "no")}"));
        }
        else if (info.Format == "PNG")
        {
            o.WriteLine(CliContext.Invariant($"interlaced:  {(info.Progressive ? "yes (Adam7)" : "no")}"));
        }

        o.WriteLine(CliContext.Invariant($"orientation: {info.Orientation}{(info.Orientation == 1 ? "" : " (EXIF; convert --apply-orientation turns it upright)")}"));

        return CliApp.Ok;
    }
}
