// Usage: HandPose.Torch.ResumeProbe straight|first|second DIR
//   straight: 20 steps, writes DIR/straight.safetensors
//   first:    10 steps, writes the training checkpoint DIR/checkpoint.pt
//   second:   loads DIR/checkpoint.pt into a differently seeded model, 10 more steps, writes DIR/resumed.safetensors
// The net has dropout and batch norm and draws its data from libtorch's generator, so the RNG state, the optimizer's
// moments and the scheduler's position must all survive the checkpoint.
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

string mode = args[0];
string dir = args[1];
set_num_threads(1);
manual_seed(mode == "second" ? 999 : 42);
using var model = nn.Sequential(
    nn.Conv2d(3, 8, 3L, padding: 1L), nn.BatchNorm2d(8), nn.ReLU(), nn.Dropout(0.2),
    nn.Conv2d(8, 4, 3L, stride: 2L, padding: 1L), nn.ReLU(), nn.Flatten(), nn.Linear(64, 5));
using var optimizer = optim.Adam(model.parameters(), 1e-2, weight_decay: 1e-4);
var scheduler = optim.lr_scheduler.StepLR(optimizer, 3, 0.5);
int start = 0;
if (mode == "second")
{
    start = TrainingCheckpoint.Load(Path.Combine(dir, "checkpoint.pt"), model, optimizer, scheduler);
}

int end = mode == "first" ? 10 : 20;
model.train();
for (int step = start; step < end; step++)
{
    using var scope = NewDisposeScope();
    Tensor x = randn(4, 3, 8, 8);
    Tensor target = randn(4, 5);
    optimizer.zero_grad();
    nn.functional.mse_loss(model.call(x), target).backward();
    nn.utils.clip_grad_norm_(model.parameters(), 1.0);
    optimizer.step();
    if ((step + 1) % 2 == 0)
    {
        scheduler.step();
    }
}

if (mode == "first")
{
    TrainingCheckpoint.Save(Path.Combine(dir, "checkpoint.pt"), model, optimizer, scheduler, end);
}
else
{
    StateDicts.Save(model, Path.Combine(dir, mode == "straight" ? "straight.safetensors" : "resumed.safetensors"));
}
