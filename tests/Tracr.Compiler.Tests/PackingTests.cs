using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Transformer;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// <see cref="PackedModel.From"/> prunes every block once, at compile time (<see cref="BlockPruning"/>): the
    /// packed blocks are the assembled ones without their all-zero rows, columns and neurons, and nothing is
    /// left for a later stage (the run-time plan, a generated model's start-up) to prune.
    /// </summary>
    public class PackingTests
    {
        public static IEnumerable<object[]> Programs() => new[]
        {
            new object[] { "reverse" },
            new object[] { "sort" },
            new object[] { "hist" },
            new object[] { "frac_prevs" },
            new object[] { "shuffle_dyck" },
        };

        private static CompiledModel Compile(string name) => name switch
        {
            "reverse" => RaspCompiler.Compile(Library.MakeReverse(Tokens), Strings("a", "b", "c"), 5),
            "sort" => RaspCompiler.Compile(Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1), Enumerable.Range(1, 5).Select(i => Value.FromInt(i)), 5),
            "hist" => RaspCompiler.Compile(Library.MakeHist(), Strings("a", "b", "c"), 5),
            "frac_prevs" => RaspCompiler.Compile(Library.MakeFracPrevs(Tokens == "l"), Strings("l", "r"), 5),
            _ => RaspCompiler.Compile(Library.MakeShuffleDyck(new[] { "()", "{}" }), Strings("(", ")", "{", "}"), 6),
        };

        private static IEnumerable<Value> Strings(params string[] s) => s.Select(Value.FromString);

        [Theory]
        [MemberData(nameof(Programs))]
        public void Packed_blocks_are_pruned_and_pruning_them_again_changes_nothing(string name)
        {
            var packed = Compile(name).Packed;
            foreach (var block in packed.Blocks)
            {
                var again = BlockPruning.Prune(block);
                if (block is PackedAttention a)
                {
                    var b = (PackedAttention)again;
                    for (int h = 0; h < a.Heads.Length; h++)
                    {
                        Assert.Equal(a.Heads[h].QueryDims, b.Heads[h].QueryDims);
                        Assert.Equal(a.Heads[h].KeyDims, b.Heads[h].KeyDims);
                        Assert.Equal(a.Heads[h].ValueDims, b.Heads[h].ValueDims);
                        Assert.Equal(a.Heads[h].OutputDims, b.Heads[h].OutputDims);
                        Assert.Equal(a.Heads[h].QueryKey.ToDense(), b.Heads[h].QueryKey.ToDense());
                        Assert.Equal(a.Heads[h].OutputValue.ToDense(), b.Heads[h].OutputValue.ToDense());
                    }
                    Assert.Equal(a.InPlace, b.InPlace);
                    Assert.Equal(a.OutputUnion, b.OutputUnion);
                }
                else
                {
                    var m = (PackedMlp)block;
                    var n = (PackedMlp)again;
                    Assert.Equal(m.InputDims, n.InputDims);
                    Assert.Equal(m.OutputDims, n.OutputDims);
                    Assert.Equal(m.W1.ToDense(), n.W1.ToDense());
                    Assert.Equal(m.W2.ToDense(), n.W2.ToDense());
                    Assert.Equal(m.CompiledHiddenSize, n.CompiledHiddenSize);
                }
            }
        }

        /// <summary>Pruning drops only zeros: every head's W_QK and W_OV over the whole residual stream are the assembled ones.</summary>
        [Theory]
        [MemberData(nameof(Programs))]
        public void Packed_heads_have_the_assembled_weights(string name)
        {
            var model = Compile(name);
            var heads = model.Packed.Blocks.OfType<PackedAttention>().SelectMany(a => a.Heads).ToList();
            var assembled = model.Assembled.Layers.SelectMany(l => l.Heads).ToList();
            Assert.Equal(assembled.Count, heads.Count);
            int width = model.Packed.Width;
            for (int i = 0; i < heads.Count; i++)
            {
                Assert.Equal(Scatter(assembled[i].WQK, assembled[i].QueryIndices, assembled[i].KeyIndices, width),
                    Scatter(heads[i].QueryKey.ToDense(), heads[i].QueryDims, heads[i].KeyDims, width));
                Assert.Equal(Scatter(assembled[i].WOV, assembled[i].ValueIndices, assembled[i].OutputIndices, width),
                    Scatter(heads[i].OutputValue.ToDense(), heads[i].ValueDims, heads[i].OutputDims, width));
            }
        }

        /// <summary>
        /// A packed MLP keeps, in order, exactly the assembled neurons with a non-zero W1 column and W2 row, each
        /// with its weights, and remembers how many neurons the compiler built.
        /// </summary>
        [Theory]
        [MemberData(nameof(Programs))]
        public void Packed_mlps_keep_exactly_the_neurons_that_matter(string name)
        {
            var model = Compile(name);
            var mlps = model.Packed.Blocks.OfType<PackedMlp>().ToList();
            var assembled = model.Assembled.Layers.Where(l => l.Mlp != null).Select(l => l.Mlp!).ToList();
            Assert.Equal(assembled.Count, mlps.Count);
            int width = model.Packed.Width;
            for (int i = 0; i < mlps.Count; i++)
            {
                var a = assembled[i];
                var m = mlps[i];
                Assert.Equal(a.HiddenSize, m.CompiledHiddenSize);
                var aw1 = a.DenseW1();
                var aw2 = a.DenseW2();
                var hidden = Enumerable.Range(0, m.HiddenSize).ToArray();
                var w1 = Scatter(m.W1.ToDense(), m.InputDims, hidden, width, m.HiddenSize);
                var w2 = Scatter(m.W2.ToDense(), hidden, m.OutputDims, m.HiddenSize, width);
                int kept = 0;
                for (int h = 0; h < a.HiddenSize; h++)
                {
                    bool matters = Enumerable.Range(0, width).Any(d => aw1[d, h] != 0) && Enumerable.Range(0, width).Any(d => aw2[h, d] != 0);
                    if (!matters) continue;
                    Assert.True(kept < m.HiddenSize, $"{name} {m.Name}: neuron {h} matters but was dropped.");
                    for (int d = 0; d < width; d++)
                    {
                        Assert.Equal(aw1[d, h], w1[d, kept]);
                        Assert.Equal(aw2[h, d], w2[kept, d]);
                    }
                    kept++;
                }
                Assert.Equal(kept, m.HiddenSize);
            }
        }

        [Fact]
        public void Pruning_drops_dimensions_and_neurons_of_the_library_programs()
        {
            // reverse's heads read BOS and 'one' rows whose W_QK or W_OV are zero; shuffle_dyck's discretising
            // MLPs have neurons that change nothing. Without pruning at packing time these would reach the plans.
            var reverse = Compile("reverse");
            Assert.True(reverse.Packed.Blocks.OfType<PackedAttention>().SelectMany(a => a.Heads).Sum(h => h.QueryDims.Length + h.ValueDims.Length)
                < reverse.Assembled.Layers.SelectMany(l => l.Heads).Sum(h => h.QueryIndices.Length + h.ValueIndices.Length));
            var dyck = Compile("shuffle_dyck");
            Assert.Contains(dyck.Packed.Blocks.OfType<PackedMlp>(), m => m.HiddenSize < m.CompiledHiddenSize);
        }

        [Fact]
        public void MaxPositions_counts_BOS()
        {
            var packed = Compile("reverse").Packed;
            Assert.Equal(6, packed.MaxPositions);
            Assert.Equal(packed.MaxPositions, packed.PositionEmbedding.Rows);
        }

        private static double[,] Scatter(double[,] m, int[] rows, int[] columns, int width) => Scatter(m, rows, columns, width, width);

        private static double[,] Scatter(double[,] m, int[] rows, int[] columns, int height, int width)
        {
            var d = new double[height, width];
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < columns.Length; c++) d[rows[r], columns[c]] += m[r, c];
            return d;
        }
    }
}
