using System.Linq;
using Tracr.Runtime;
using Tracr.Generated;
using Tracr.Transformer;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// A plan takes the packed blocks as they are: the compiler pruned them once (<see cref="BlockPruning"/>),
    /// and a generated model's start-up builds its plan from the pruned data it carries, so a plan must not
    /// prune or re-derive block dimensions of its own.
    /// </summary>
    public class ModelPlanTests
    {
        [Fact]
        public void A_plan_uses_the_packed_dimensions_and_layer_decisions_as_given()
        {
            var packed = RaspCompiler.Compile(Library.MakeReverse(Tokens), new[] { "a", "b", "c" }.Select(Value.FromString), 5).Packed;
            foreach (var plan in new object[] { new ModelPlan<float>(packed), new ModelPlan<double>(packed) })
            {
                var blocks = plan is ModelPlan<float> f ? f.Blocks.Cast<object>().ToArray() : ((ModelPlan<double>)plan).Blocks.Cast<object>().ToArray();
                Assert.Equal(packed.Blocks.Length, blocks.Length);
                for (int b = 0; b < blocks.Length; b++)
                {
                    if (packed.Blocks[b] is PackedAttention a)
                    {
                        var heads = blocks[b] is AttentionPlan<float> af ? af.Heads.Select(h => (h.Query, h.Key, h.Value, h.Output)).ToArray()
                            : ((AttentionPlan<double>)blocks[b]).Heads.Select(h => (h.Query, h.Key, h.Value, h.Output)).ToArray();
                        for (int h = 0; h < a.Heads.Length; h++)
                        {
                            Assert.Same(a.Heads[h].QueryDims, heads[h].Query.Dims);
                            Assert.Same(a.Heads[h].KeyDims, heads[h].Key.Dims);
                            Assert.Same(a.Heads[h].ValueDims, heads[h].Value.Dims);
                            Assert.Same(a.Heads[h].OutputDims, heads[h].Output.Dims);
                        }
                    }
                    else
                    {
                        var m = (PackedMlp)packed.Blocks[b];
                        var (input, output, hidden) = blocks[b] is MlpPlan<float> mf ? (mf.Input, mf.Output, mf.HiddenSize)
                            : (((MlpPlan<double>)blocks[b]).Input, ((MlpPlan<double>)blocks[b]).Output, ((MlpPlan<double>)blocks[b]).HiddenSize);
                        Assert.Same(m.InputDims, input.Dims);
                        Assert.Same(m.OutputDims, output.Dims);
                        Assert.Equal(m.HiddenSize, hidden);
                    }
                }
            }
        }

        [Fact]
        public void A_plan_keeps_a_hand_built_block_unpruned()
        {
            // Row 1 of W_QK is zero: pruning would drop query dimension 5. The plan runs the head as given.
            var qk = RunMatrix.FromDense(new double[,] { { 1, 0 }, { 0, 0 }, { 0, 2 } });
            var ov = RunMatrix.FromDense(new double[,] { { 1 } });
            var head = new PackedHead("h", false, new[] { 0, 5, 2 }, new[] { 1, 3 }, new[] { 4 }, new[] { 6 }, qk, ov);
            var plan = HeadPlan<float>.From(head, 4);
            Assert.Equal(new[] { 0, 5, 2 }, plan.Query.Dims);
            Assert.Equal(new[] { 0, 2 }, BlockPruning.Prune(head).QueryDims);
        }
    }
}
