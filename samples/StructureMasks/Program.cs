using System.Text.Json;
using HandPose;
using HandPose.Structure;
using StructureMasks;

// Renders NSRM's training targets for a Panoptic crop: LDM G1&6, LPM G1&6 (Paper and OfficialCode variants) and
// their difference, as a PNG grid (one row per target, 7 panels: G1, thumb, index, middle, ring, little, palm).
// Usage: dotnet run --project samples/StructureMasks [-- OUT_DIR]
string outDir = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
Directory.CreateDirectory(outDir);
string data = Path.Combine(AppContext.BaseDirectory, "data");
const string image = "00000009.jpg";

// The crop size comes from the JPEG header; the keypoints are crop pixels.
(int cropWidth, int cropHeight) = JpegSize(Path.Combine(data, image));
using JsonDocument labels = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "labels.json")));
double[] crop = labels.RootElement.GetProperty(image).EnumerateArray().SelectMany(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToArray();

// NSRM's conversion: 368 input, stride 8 -> 46 x 46 maps, X = x * 368 / 8 / W (float64).
int n = NsrmCoordinates.MapSize();
double[] map = new double[crop.Length];
NsrmCoordinates.CropToMap(crop, map, cropWidth, cropHeight);

var ldm = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n);
var lpmPaper = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n);
var lpmOfficial = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n, variant: StructureVariant.OfficialCode);
float[] ldmMaps = new float[ldm.OutputLength];
float[] paper = new float[lpmPaper.OutputLength];
float[] official = new float[lpmOfficial.OutputLength];
ldm.Render(map, ldmMaps);
lpmPaper.Render(map, paper);
lpmOfficial.Render(map, official);
float[] difference = paper.Zip(official, (p, o) => p - o).ToArray();
float maxDifference = difference.Max();
float[] differenceScaled = difference.Select(d => d / maxDifference).ToArray();

const int scale = 4;
string grid = Path.Combine(outDir, "structure_masks.png");
MaskImage.WriteGrid(grid, [ldmMaps, paper, official, differenceScaled], channels: 7, n, scale);
Console.WriteLine($"{grid}: rows LDM, LPM paper, LPM official, (paper - official) / {maxDifference:F3}; {cropWidth}x{cropHeight} crop, {n}x{n} maps");

// The docs picture: G1 only, paper | official | difference.
string compare = Path.Combine(outDir, "lpm_paper_vs_official.png");
int plane = n * n;
MaskImage.WriteGrid(compare, [[.. paper.AsSpan(0, plane), .. official.AsSpan(0, plane), .. differenceScaled.AsSpan(0, plane)]], channels: 3, n, 6);
int changed = Enumerable.Range(0, plane).Count(i => difference[i] > 1e-6f);
Console.WriteLine($"{compare}: LPM G1 paper | official | difference; {changed} of {plane} cells differ, at most by {maxDifference:F3}");

static (int Width, int Height) JpegSize(string path)
{
    byte[] b = File.ReadAllBytes(path);
    for (int i = 2; i + 9 < b.Length;)
    {
        if (b[i] != 0xFF)
        {
            throw new InvalidDataException($"{path}: not a JPEG marker at byte {i}.");
        }

        byte marker = b[i + 1];
        int length = (b[i + 2] << 8) | b[i + 3];
        if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
        {
            return ((b[i + 7] << 8) | b[i + 8], (b[i + 5] << 8) | b[i + 6]);
        }

        i += 2 + length;
    }

    throw new InvalidDataException($"{path}: no frame header found.");
}
