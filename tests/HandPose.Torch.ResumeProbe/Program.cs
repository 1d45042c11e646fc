// Usage: HandPose.Torch.ResumeProbe straight|first|second DIR
//   straight: 20 steps, writes DIR/straight.safetensors
//   first:    10 steps, writes the training checkpoint DIR/checkpoint.safetensors
//   second:   loads DIR/checkpoint.safetensors into a differently initialized model, 10 steps, writes DIR/resumed.safetensors
// The net has dropout and draws its data from libtorch's generator, so the RNG state must survive the checkpoint too.
using HandPose.Torch;
using HandPose.Torch.Modules;
using HandPose.Torch.Optim;
using HandPose.Torch.Serialization;

string mode = args[0];
string dir = args[1];
TorchRuntime.Threads = 1;
TorchRuntime.Deterministic = true;
TorchRuntime.ManualSeed(mode == "second" ? 999UL : 42UL);
using var model = new Sequential(
    new Conv2d(3, 8, 3, padding: 1), new BatchNorm2d(8), Lambda.Relu(), Lambda.Dropout(0.2),
    new Conv2d(8, 4, 3, stride: 2, padding: 1), Lambda.Relu(), Lambda.Flatten(), new Linear(64, 5));
using var optimizer = new Adam(model, 1e-2, weightDecay: 1e-4);
var scheduler = new StepLR(optimizer, 3, 0.5);
int start = 0;
if (mode == "second")
{
    start = TrainingCheckpoint.Load(Path.Combine(dir, "checkpoint.safetensors"), model, optimizer, scheduler);
}

int end = mode == "first" ? 10 : 20;
model.Train();
for (int step = start; step < end; step++)
{
    using var scope = TorchRuntime.NewDisposeScope();
    Tensor x = Tensor.Randn([4, 3, 8, 8]);
    Tensor target = Tensor.Randn([4, 5]);
    optimizer.ZeroGrad();
    Functional.MseLoss(model.Forward(x), target).Backward();
    GradientClipping.ClipGradNorm(model.Parameters(), 1.0);
    optimizer.Step();
    if ((step + 1) % 2 == 0)
    {
        scheduler.Step();
    }
}

if (mode == "first")
{
    TrainingCheckpoint.Save(Path.Combine(dir, "checkpoint.safetensors"), model, optimizer, scheduler, end);
}
else
{
    SafeTensors.Save(Path.Combine(dir, mode == "straight" ? "straight.safetensors" : "resumed.safetensors"), model.StateDict());
}
