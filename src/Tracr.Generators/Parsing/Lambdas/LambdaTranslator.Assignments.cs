using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>Assignments: <c>=</c>, compound assignments and <c>++</c>/<c>--</c>, to variables, array elements and indexers.</summary>
    internal sealed partial class LambdaTranslator
    {
        /// <summary>A place that can be read and written, its sub-expressions (array, index) evaluated once into temporaries.</summary>
        private sealed class Place
        {
            public readonly List<LambdaNode> Setup = new List<LambdaNode>();
            public Func<LambdaNode> Read = null!;
            public Func<LambdaNode, LambdaNode> Write = null!;
        }

        private Place PlaceOf(IOperation target)
        {
            var place = new Place();
            switch (target)
            {
                case ILocalReferenceOperation local:
                {
                    int slot = local.IsDeclaration ? DeclareSlot(local.Local) : WriteSlot(local.Local, target);
                    place.Read = () => new LocalNode(slot);
                    place.Write = v => new AssignNode(slot, v);
                    return place;
                }
                case IParameterReferenceOperation parameter:
                {
                    int slot = WriteSlot(parameter.Parameter, target);
                    place.Read = () => new LocalNode(slot);
                    place.Write = v => new AssignNode(slot, v);
                    return place;
                }
                case IArrayElementReferenceOperation element when element.Indices.Length == 1:
                {
                    int array = NewTemp("array"), index = NewTemp("index");
                    place.Setup.Add(new AssignNode(array, Expr(element.ArrayReference)));
                    place.Setup.Add(new AssignNode(index, Expr(element.Indices[0])));
                    place.Read = () => new ElementNode(new LocalNode(array), new LocalNode(index));
                    place.Write = v => new ElementNode(new LocalNode(array), new LocalNode(index), v);
                    return place;
                }
                case IPropertyReferenceOperation property when property.Property.SetMethod != null && property.Instance != null:
                {
                    var getter = property.Property.GetMethod;
                    var setter = property.Property.SetMethod;
                    int instance = NewTemp("instance");
                    place.Setup.Add(new AssignNode(instance, Expr(property.Instance)));
                    var argSlots = property.Arguments.Select(a =>
                    {
                        int s = NewTemp("arg");
                        place.Setup.Add(new AssignNode(s, Expr(a.Value)));
                        return s;
                    }).ToArray();
                    LambdaNode[] Args() => argSlots.Select(s => (LambdaNode)new LocalNode(s)).ToArray();
                    var setMember = Member(setter, target);
                    place.Read = () => getter is null ? throw Fail(target, "the property has no getter") : new CallNode(Member(getter, target), new LocalNode(instance), Args());
                    place.Write = v =>
                    {
                        int value = NewTemp("value");
                        return new SequenceNode(new AssignNode(value, v), new CallNode(setMember, new LocalNode(instance), Args().Concat(new[] { new LocalNode(value) }).ToArray()), new LocalNode(value));
                    };
                    return place;
                }
                default:
                    throw Fail(target, $"assigning to {BodyInterpreter.Describe(target)} is not supported (variables, array elements and indexers can be assigned)");
            }
        }

        private LambdaNode Assign(IOperation target, Func<Place, LambdaNode> value)
        {
            var place = PlaceOf(target);
            var write = place.Write(value(place));
            return place.Setup.Count == 0 ? write : new SequenceNode(place.Setup.Concat(new[] { write }).ToArray());
        }

        private LambdaNode CompoundAssignment(ICompoundAssignmentOperation compound)
        {
            var op = OperatorOf(compound.OperatorKind) ?? throw Fail(compound, $"the operator {compound.OperatorKind}= is not supported");
            var targetType = ClrNames.EnumOrSelf(compound.Target.Type);
            return Assign(compound.Target, place =>
            {
                var current = place.Read();
                var right = Expr(compound.Value);
                if (compound.OperatorMethod != null)
                {
                    var member = Member(compound.OperatorMethod, compound);
                    var result = new BinaryNode(op, member.ParameterTypes[0], compound.IsChecked, new ConvertNode(member.ParameterTypes[0], false, false, current), right, member);
                    return new ConvertNode(TypeOf(targetType, compound), compound.IsChecked, true, result);
                }
                if (targetType?.SpecialType == SpecialType.System_String)
                    return new BinaryNode(LambdaOperator.Add, TypeRef.String, false, current, right);
                if (targetType?.SpecialType == SpecialType.System_Boolean)
                    return new BinaryNode(op, TypeRef.Boolean, false, current, right);
                // The operator's type: the promoted target for shifts, else the right operand's type after C#'s conversions (x += 2.5 on an int adds doubles).
                bool shift = op == LambdaOperator.LeftShift || op == LambdaOperator.RightShift || op == LambdaOperator.UnsignedRightShift;
                var operandType = shift ? ClrNames.Promoted(targetType)! : Wider(ClrNames.Promoted(targetType)!, TypeOf(ClrNames.EnumOrSelf(compound.Value.Type), compound));
                var promotedRight = shift ? right : new ConvertNode(operandType, false, false, right);
                var sum = new BinaryNode(op, operandType, compound.IsChecked, new ConvertNode(operandType, false, false, current), promotedRight);
                return new ConvertNode(TypeOf(targetType, compound), compound.IsChecked, true, sum);
            });
        }

        private static readonly string[] NumericOrder =
        {
            "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
        };

        /// <summary>The wider of two promoted numeric types (C#'s binary numeric promotion, for valid code).</summary>
        private static TypeRef Wider(TypeRef a, TypeRef b)
        {
            int ia = Array.IndexOf(NumericOrder, a.Name), ib = Array.IndexOf(NumericOrder, b.Name);
            if (ia < 0) return b;
            if (ib < 0) return a;
            // int with uint widens to long, as in C#.
            if ((a.Name == "System.Int32" && b.Name == "System.UInt32") || (a.Name == "System.UInt32" && b.Name == "System.Int32")) return TypeRef.Int64;
            return ia >= ib ? a : b;
        }

        private LambdaNode Increment(IIncrementOrDecrementOperation increment)
        {
            if (increment.OperatorMethod != null) throw Fail(increment, "user-defined ++ and -- are not supported");
            var targetType = ClrNames.EnumOrSelf(increment.Target.Type);
            var type = TypeOf(targetType, increment);
            var promoted = ClrNames.Promoted(targetType)!;
            var op = increment.Kind == OperationKind.Increment ? LambdaOperator.Add : LambdaOperator.Subtract;
            var one = new ConstantNode(CSharpSemantics.Convert(1, promoted.Name, false), promoted);
            var place = PlaceOf(increment.Target);
            LambdaNode Next(LambdaNode current) =>
                new ConvertNode(type, increment.IsChecked, true, new BinaryNode(op, promoted, increment.IsChecked, new ConvertNode(promoted, false, false, current), one));
            var items = new List<LambdaNode>(place.Setup);
            if (increment.IsPostfix)
            {
                int old = NewTemp("old");
                items.Add(new AssignNode(old, place.Read()));
                items.Add(place.Write(Next(new LocalNode(old))));
                items.Add(new LocalNode(old));
            }
            else items.Add(place.Write(Next(place.Read())));
            return items.Count == 1 ? items[0] : new SequenceNode(items.ToArray());
        }
    }
}
