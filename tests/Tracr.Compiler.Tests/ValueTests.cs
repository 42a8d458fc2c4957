using System;
using System.Collections.Generic;
using Xunit;

namespace Tracr.Tests
{
    public class ValueTests
    {
        [Fact]
        public void Equality_follows_python_across_numeric_kinds()
        {
            Assert.Equal(Value.FromInt(1), Value.FromFloat(1.0));
            Assert.Equal(Value.FromInt(1), Value.FromBool(true));
            Assert.NotEqual(Value.FromInt(1), Value.FromString("1"));
            var set = new HashSet<Value> { 1, 1.0, true, 2 };
            Assert.Equal(2, set.Count);
        }

        [Theory]
        [InlineData(1.0, "1.0")]
        [InlineData(0.5, "0.5")]
        [InlineData(1.0 / 3, "0.3333333333333333")]
        [InlineData(2.0 / 3, "0.6666666666666666")]
        [InlineData(0.0001, "0.0001")]
        [InlineData(0.00001, "1e-05")]
        [InlineData(1e16, "1e+16")]
        [InlineData(123456789012345.0, "123456789012345.0")]
        [InlineData(-2.5, "-2.5")]
        [InlineData(0.1 + 0.2, "0.30000000000000004")]
        public void Floats_format_like_python_repr(double d, string expected) => Assert.Equal(expected, Value.FormatFloat(d));

        [Fact]
        public void Tuples_and_strings_format_like_python()
        {
            Assert.Equal("(1, 'a')", ((Value)(1, "a")).Repr());
            Assert.Equal("a", ((Value)"a").ToString());
            Assert.Equal("True", ((Value)true).ToString());
            Assert.Equal("None", Value.None.ToString());
        }

        [Fact]
        public void Arithmetic_uses_python_semantics()
        {
            Assert.Equal(ValueKind.Float, (Value.FromInt(3) / 2).Kind);
            Assert.Equal(1.5, (Value.FromInt(3) / 2).AsDouble);
            Assert.Equal(Value.FromInt(2), Value.FromInt(-1) % 3);
            Assert.Equal(Value.FromInt(-1), Value.FloorDiv(-1, 2));
            Assert.Equal(Value.FromInt(2), Value.FromBool(true) + 1);
            Assert.Throws<DivideByZeroException>(() => Value.FromInt(1) / 0);
            Assert.Throws<InvalidOperationException>(() => Value.FromString("a") - 1);
        }

        [Fact]
        public void Ordering_refuses_mixed_types_like_python()
        {
            Assert.True(Value.FromInt(1) < 1.5);
            Assert.True((Value)"a" < "b");
            Assert.Null(Value.TryCompare("a", 1));
            Assert.Throws<InvalidOperationException>(() => (Value)"a" < 1);
        }
    }
}
