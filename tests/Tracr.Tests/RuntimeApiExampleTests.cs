using System;
using System.Linq;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// README.md's "Runtime API" example, run as written: one evaluate door, one run shape on both paths, and
    /// the summary the README prints (if this test changes, update the README with it).
    /// </summary>
    public class RuntimeApiExampleTests
    {
        [Fact]
        public void The_readme_runtime_example_runs_as_documented()
        {
            var program = Library.MakeFracPrevs(Tokens == "x");
            CompiledModel model = RaspCompiler.Compile(program, new Value[] { "x", "y" }, maxSeqLen: 8,
                new CompilerOptions { Causal = false, MlpExactness = 100 });
            Assert.Equal("2 layers, 1 head, residual width 15, 1 MLP neuron", model.Summary);
            Assert.Equal(model.Summary, model.ToString());

            Value[] input = { "x", "y", "x" };
            ModelRun<Value> run = model.Apply(input);
            var truth = Rasp.Evaluate(program, input);
            Assert.Equal(new[] { 1.0, 0.5, 2.0 / 3 }, run.Outputs.Select(v => Math.Round(v.AsDouble, 6)), new ToleranceComparer(1e-6));
            Assert.Equal(truth.Select(v => v.AsDouble), run.Outputs.Select(v => v.AsDouble), new ToleranceComparer(1e-6));

            Assert.Equal(model.ResidualLabels, run.ResidualLabels);
            Assert.Equal(model.ResidualLabels.Count, run.Residuals[^1].GetLength(1));
            Assert.Equal(new[] { "layer 0 mlp", "layer 1 attention" }, run.LayerNames);
            Assert.Equal(run.LayerNames.Count, run.LayerOutputs.Count);
            Assert.Equal(model.Assembled.HeadCount, run.Attention.Count);

            // The typed form of the same weights: the same run shape and the same summary.
            var typed = CompiledTransformer.From(model);
            ModelRun<Value> fast = typed.Apply(input);
            Assert.Equal(run.LayerNames, fast.LayerNames);
            Assert.Equal(run.ResidualLabels, fast.ResidualLabels);
            Assert.Equal(run.Attention.Select(a => a.Node), fast.Attention.Select(a => a.Node));
            Assert.Equal(model.Summary, typed.Summary);
        }

        private sealed class ToleranceComparer : System.Collections.Generic.IEqualityComparer<double>
        {
            private readonly double _tolerance;
            public ToleranceComparer(double tolerance) { _tolerance = tolerance; }
            public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;
            public int GetHashCode(double obj) => 0;
        }
    }
}
