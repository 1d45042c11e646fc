using HandPose.Torch.Training;

namespace HandPose.Cli.Commands;

/// <summary>The run's <c>curves.png</c>: training loss (left axis) and validation PCK@0.2 and AUC (right axis) per epoch.</summary>
internal static class TrainingCurves
{
    public static void Save(IReadOnlyList<EpochMetrics> history, string path, string title)
    {
        if (history.Count == 0)
        {
            return;
        }

        var plot = new ScottPlot.Plot();
        double[] epochs = history.Select(m => (double)m.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(m => m.Loss).ToArray());
        loss.LegendText = "train loss";
        if (history.Any(m => double.IsFinite(m.Pck)))
        {
            var pck = plot.Add.Scatter(epochs, history.Select(m => m.Pck).ToArray());
            pck.LegendText = "val PCK@0.2";
            pck.Axes.YAxis = plot.Axes.Right;
            var auc = plot.Add.Scatter(epochs, history.Select(m => m.Auc).ToArray());
            auc.LegendText = "val AUC (0-30 px)";
            auc.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "validation";
        }

        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Title(title);
        plot.ShowLegend();
        plot.SavePng(path, 900, 540);
    }
}
