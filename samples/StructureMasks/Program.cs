using System.Text.Json;
using HandPose;
using HandPose.Imaging;
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
ImageInfo info = ImageDecoder.Identify(Path.Combine(data, image));
(int cropWidth, int cropHeight) = (info.Width, info.Height);
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

// The masks over the photo itself: LPM G1 (paper) as a viridis overlay, with the labelled skeleton.
ImageBuffer photo = ImageDecoder.Load(Path.Combine(data, image));
ImageDrawing.ColormapOverlay(photo, paper.AsSpan(0, plane), n, n, opacity: 0.6f);
Keypoint2D[] keypoints = Enumerable.Range(0, crop.Length / 2).Select(k => new Keypoint2D((float)crop[2 * k], (float)crop[(2 * k) + 1])).ToArray();
ImageDrawing.Skeleton(photo, keypoints, thickness: 1.5f, radius: 2f);
string overlay = Path.Combine(outDir, "lpm_overlay.png");
ImageEncoder.SavePng(photo.AsView(), overlay);
Console.WriteLine($"{overlay}: LPM G1 over the {cropWidth}x{cropHeight} crop with its labelled skeleton");
