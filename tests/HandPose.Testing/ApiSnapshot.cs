using System.Reflection;
using System.Text;

namespace HandPose.Testing;

/// <summary>
/// Renders the public surface of an assembly as sorted signature lines and compares it with
/// <c>tests/ApiSnapshots/&lt;Assembly&gt;.txt</c>. On a difference the rendering is written next to it as
/// <c>.received.txt</c>; approving a change means copying that file over the snapshot (a deliberate act).
/// </summary>
public static class ApiSnapshot
{
    /// <summary>Asserts that the assembly's public API equals its committed snapshot.</summary>
    public static void AssertMatches(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string name = assembly.GetName().Name!;
        string expectedPath = RepoPaths.Tests("ApiSnapshots", name + ".txt");
        string receivedPath = RepoPaths.Tests("ApiSnapshots", name + ".received.txt");
        string actual = Render(assembly);
        string expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath) : string.Empty;
        if (actual == expected)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        File.WriteAllText(receivedPath, actual);
        var expectedLines = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var actualLines = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        string added = string.Join("\n", actualLines.Except(expectedLines).Take(20).Select(l => "+ " + l));
        string removed = string.Join("\n", expectedLines.Except(actualLines).Take(20).Select(l => "- " + l));
        Assert.Fail($"The public API of {name} changed. If intended, copy {receivedPath} over {expectedPath}.\n{added}\n{removed}");
    }

    /// <summary>Renders the public API, one sorted line per type and member.</summary>
    public static string Render(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            string typeName = TypeName(type);
            lines.Add($"{Kind(type)} {typeName}{BaseList(type)}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MemberInfo member in type.GetMembers(flags))
            {
                string? rendered = RenderMember(member);
                if (rendered is not null)
                {
                    lines.Add($"{typeName}::{rendered}");
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (string line in lines.Distinct())
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum"
        : t.IsInterface ? "interface"
        : t.IsValueType ? (t.IsByRefLike ? "ref struct" : "struct")
        : typeof(Delegate).IsAssignableFrom(t) ? "delegate"
        : t.IsAbstract && t.IsSealed ? "static class"
        : t.IsSealed ? "sealed class"
        : t.IsAbstract ? "abstract class"
        : "class";

    private static string BaseList(Type t)
    {
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(TypeName(b));
        }

        bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(TypeName).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases);
    }

    private static string? RenderMember(MemberInfo member) => member switch
    {
        ConstructorInfo c => $".ctor({Parameters(c.GetParameters())})",
        MethodInfo m when m.IsSpecialName && !m.Name.StartsWith("op_", StringComparison.Ordinal) => null,
        MethodInfo m => $"{(m.IsStatic ? "static " : string.Empty)}{(m.IsAbstract && !m.DeclaringType!.IsInterface ? "abstract " : m.IsVirtual && !m.IsFinal && !m.DeclaringType!.IsInterface ? "virtual " : string.Empty)}{TypeName(m.ReturnType)} {m.Name}{Generics(m)}({Parameters(m.GetParameters())})",
        PropertyInfo p => $"{((p.GetMethod ?? p.SetMethod)!.IsStatic ? "static " : string.Empty)}{TypeName(p.PropertyType)} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : string.Empty)}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? "init; " : "set; ") : string.Empty)}}}",
        FieldInfo f when f.DeclaringType!.IsEnum => f.IsSpecialName ? null : $"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{(f.IsInitOnly ? "readonly " : string.Empty)}{TypeName(f.FieldType)} {f.Name}",
        EventInfo e => $"event {TypeName(e.EventHandlerType!)} {e.Name}",
        Type => null,
        _ => member.ToString(),
    };

    private static string Generics(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(ParameterInfo[] parameters) =>
        string.Join(", ", parameters.Select(p =>
            $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)}{TypeName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue?.ToString() ?? "null") : string.Empty)}"));

    private static string TypeName(Type t)
    {
        if (t.IsByRef)
        {
            return TypeName(t.GetElementType()!);
        }

        if (t.IsArray)
        {
            return TypeName(t.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(t) is { } u)
        {
            return TypeName(u) + "?";
        }

        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        string name = t.IsNested ? TypeName(t.DeclaringType!) + "." + t.Name : (t.Namespace is null ? t.Name : t.Namespace + "." + t.Name);
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        return t.IsGenericType ? $"{name}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>" : name;
    }
}
