package dev.dataverse.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public surface of one module as Java sees it: every public class outside an {@code internal} package, with its
 * public and protected members that are not synthetic (the compiler hides synthetic members from javac, so Java code
 * cannot call them).
 *
 * <p>It renders the surface as sorted text for the checked-in {@code api/<module>.api} dumps, and finds the members that
 * leak Kotlin into Java: a name javac cannot spell or that exposes an {@code internal} member ({@code $}, or the
 * {@code -xxxxxxx} suffix of an inline-class mangled name), or a signature that mentions a Kotlin-only type.
 */
final class ApiSurface {

    /**
     * Kotlin's own types, in any form: the standard library ({@code kotlin.Unit}, {@code kotlin.jvm.functions.Function1},
     * {@code kotlin.coroutines.Continuation}, {@code kotlin.enums.EnumEntries}, {@code kotlin.jvm.internal.markers.KMappedMarker},
     * {@code kotlin.time.Duration}, ...) and kotlinx. Java code has JDK types for all of them; mentioning one in a
     * Java-reachable signature or class declaration is a leak.
     */
    private static final Pattern KOTLIN_ONLY_TYPE = Pattern.compile("\\b(kotlinx?(?:\\.[A-Za-z_][\\w$]*)+)");

    /** A type of an implementation package ({@code ...internal...}): not API, whatever its visibility in bytecode. */
    private static final Pattern INTERNAL_PACKAGE_TYPE = Pattern.compile("\\b((?:[a-z_][\\w]*\\.)*internal\\.[\\w.$]+)");

    private final String module;
    private final List<Class<?>> classes;

    private ApiSurface(String module, List<Class<?>> classes) {
        this.module = module;
        this.classes = classes;
    }

    /** The surface of the module (a classes directory or a jar) that holds {@code anchor}. */
    static ApiSurface of(String module, Class<?> anchor) {
        try {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ApiSurface(module, loadPublicClasses(root, anchor.getClassLoader()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The surface made of the given classes only: lets a test show that the check catches a leak. */
    static ApiSurface ofClasses(String module, Class<?>... classes) {
        return new ApiSurface(module, Arrays.asList(classes));
    }

    String module() {
        return module;
    }

    /**
     * The public classes that API docs document, with dots between nested classes: all but compiler-made classes,
     * Kotlin {@code internal} ones, and companions and file facades ({@code ...Kt}) that Java sees empty.
     */
    List<String> documentedTypes() {
        return classes.stream()
                .filter(c -> !c.getSimpleName().equals("DefaultImpls") && !c.getSimpleName().equals("WhenMappings"))
                .filter(c -> !isKotlinInternal(c))
                .filter(c -> !members(c).isEmpty() || !(c.getSimpleName().equals("Companion") || isFileFacade(c)))
                .filter(c -> !isMirroredCompanion(c))
                .map(c -> c.getName().replace('$', '.'))
                .sorted()
                .toList();
    }

    /**
     * A companion whose methods are all static methods of its class too ({@code @JvmStatic}): Java code calls those, so
     * docs need not show the companion.
     */
    private boolean isMirroredCompanion(Class<?> type) {
        if (!type.getSimpleName().equals("Companion") || type.getDeclaringClass() == null) return false;
        for (Member member : members(type)) {
            if (!(member instanceof Method method)) return false;
            try {
                if (!Modifier.isStatic(type.getDeclaringClass().getMethod(method.getName(), method.getParameterTypes()).getModifiers())) return false;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
        return true;
    }

    /** A class Kotlin compiles its top-level declarations of one file into. */
    private static boolean isFileFacade(Class<?> type) {
        kotlin.Metadata metadata = type.getAnnotation(kotlin.Metadata.class);
        return metadata != null && metadata.k() == 2;
    }

    private static List<Class<?>> loadPublicClasses(Path root, ClassLoader loader) {
        List<String> names;
        if (Files.isDirectory(root)) {
            names = classNames(root);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                names = classNames(jar.getPath("/"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Class<?>> result = new ArrayList<>();
        for (String name : names) {
            if (name.contains(".internal.") || name.endsWith("module-info") || name.endsWith("package-info")) continue;
            // A Kotlin file facade named "-Xxx" (okio's convention for Kotlin-only top-level functions): Java cannot spell it.
            if (!isJavaName(name.substring(name.lastIndexOf('.') + 1))) continue;
            try {
                Class<?> type = Class.forName(name, false, loader);
                if (isVisible(type)) result.add(type);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
        }
        return result;
    }

    /** Whether javac can name a class with this simple (binary) name: every part between '$' is a Java identifier. */
    static boolean isJavaName(String simpleName) {
        for (String part : simpleName.split("\\$")) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) return false;
            for (int i = 1; i < part.length(); i++) if (!Character.isJavaIdentifierPart(part.charAt(i))) return false;
        }
        return true;
    }

    private static List<String> classNames(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> {
                        String relative = root.relativize(p).toString().replace('\\', '/');
                        return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class Java code can name: public (protected for nested ones) all the way out, and not compiler-made. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            int m = c.getModifiers();
            if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) return false;
            if (!Modifier.isPublic(m) && !(c.getDeclaringClass() != null && Modifier.isProtected(m))) return false;
        }
        return true;
    }

    private static boolean isVisible(Member member) {
        int m = member.getModifiers();
        if (member.isSynthetic()) return false;
        if (member instanceof Method method && method.isBridge()) return false;
        if (Modifier.isPublic(m)) return true;
        // A protected member of a final class cannot be reached from Java code outside the package.
        return Modifier.isProtected(m) && !Modifier.isFinal(member.getDeclaringClass().getModifiers());
    }

    static List<Member> members(Class<?> type) {
        List<Member> result = new ArrayList<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) if (isVisible(c)) result.add(c);
        for (Method m : type.getDeclaredMethods()) if (isVisible(m)) result.add(m);
        for (Field f : type.getDeclaredFields()) if (isVisible(f)) result.add(f);
        return result;
    }

    /** The surface as sorted lines: one per class header and one per member. */
    String render() {
        Set<String> lines = new TreeSet<>();
        for (Class<?> type : classes) {
            lines.add(type.getName() + " :: " + header(type));
            for (Member member : members(type)) lines.add(type.getName() + " :: " + describe(member));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String header(Class<?> type) {
        StringBuilder s = new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.STATIC & ~Modifier.INTERFACE));
        s.append(s.length() == 0 ? "" : " ").append(type.isInterface() ? "interface" : type.isEnum() ? "enum" : "class");
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()) {
            s.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            s.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    private static String describe(Member member) {
        if (member instanceof Field f) {
            return Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName();
        }
        Executable e = (Executable) member;
        String params = Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
        String exceptions = e.getGenericExceptionTypes().length == 0 ? ""
                : " throws " + Arrays.stream(e.getGenericExceptionTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
        int modifiers = e.getModifiers() & ~Modifier.TRANSIENT & ~Modifier.VOLATILE;
        if (e instanceof Method m && m.getDeclaringClass().isInterface() && !Modifier.isStatic(modifiers)) {
            modifiers &= ~Modifier.ABSTRACT;
            if (m.isDefault()) return "default " + m.getGenericReturnType().getTypeName() + " " + m.getName() + "(" + params + ")" + exceptions;
        }
        String mods = Modifier.toString(modifiers);
        String prefix = mods.isEmpty() ? "" : mods + " ";
        if (e instanceof Method m) {
            return prefix + m.getGenericReturnType().getTypeName() + " " + m.getName() + "(" + params + ")" + exceptions;
        }
        return prefix + "<init>(" + params + ")" + exceptions;
    }

    /**
     * The members that leak Kotlin into Java, except those {@code allowed} names by {@code Class#member}
     * (or {@code Class#*} for a whole type) with the reason they are allowed.
     */
    List<String> leaks(Map<String, String> allowed, Set<String> coroutineApiTypes) {
        List<String> result = new ArrayList<>();
        for (Class<?> type : classes) {
            if (type.getSimpleName().equals("DefaultImpls") || type.getSimpleName().equals("WhenMappings")) {
                if (!allowed.containsKey(type.getName() + "#*")) result.add(type.getName() + ": compiler-made class");
                continue;
            }
            if (isKotlinInternal(type) && !isHiddenCompanion(type)) {
                result.add(type.getName() + ": Kotlin 'internal' class, public in bytecode");
                continue;
            }
            if (allowed.containsKey(type.getName() + "#*")) continue;
            if (isFileFacade(type) && members(type).isEmpty()) {
                result.add(type.getName() + ": empty Kotlin file facade (its functions are all hidden from Java); name it "
                        + "with @file:JvmName(\"-...\") so that Java cannot see it");
                continue;
            }
            String declaration = header(type);
            var kotlinInHeader = KOTLIN_ONLY_TYPE.matcher(declaration);
            if (kotlinInHeader.find()) {
                result.add(type.getName() + " :: " + declaration + "  <- Kotlin-only type " + kotlinInHeader.group(1) + " in the class declaration");
            }
            var internalInHeader = INTERNAL_PACKAGE_TYPE.matcher(declaration);
            if (internalInHeader.find()) {
                result.add(type.getName() + " :: " + declaration + "  <- type " + internalInHeader.group(1) + " of an internal package in the class declaration");
            }
            Set<Member> internal = kotlinInternalMembers(type);
            for (Member member : members(type)) {
                String key = type.getName() + "#" + member.getName();
                if (allowed.containsKey(key)) continue;
                if (internal.contains(member)) {
                    result.add(type.getName() + " :: " + describe(member) + "  <- Kotlin 'internal', public in bytecode");
                    continue;
                }
                if (member instanceof Field field && isKotlinInternalCompanionConstant(field)) {
                    result.add(type.getName() + " :: " + describe(member) + "  <- a Kotlin 'internal' or 'private' constant, public in bytecode");
                    continue;
                }
                boolean kotlinApi = coroutineApiTypes.contains(type.getName()) && isCoroutineMember(member);
                String problem = problem(member, kotlinApi);
                if (problem != null) result.add(type.getName() + " :: " + describe(member) + "  <- " + problem);
            }
        }
        return result;
    }

    /**
     * An {@code internal companion object} that Java sees as an empty class: it only holds {@code @JvmSynthetic}
     * factories that let the module build a class whose constructor is private, so that Java cannot build it.
     */
    private boolean isHiddenCompanion(Class<?> type) {
        return type.getSimpleName().equals("Companion") && members(type).isEmpty();
    }


    /**
     * A static field Kotlin makes for a {@code const val} (or {@code @JvmField}) of a companion object that Kotlin
     * declares {@code internal} or {@code private}: public in bytecode, but no API.
     */
    static boolean isKotlinInternalCompanionConstant(Field field) {
        Class<?> type = field.getDeclaringClass();
        if (!Modifier.isStatic(field.getModifiers()) || !type.isAnnotationPresent(kotlin.Metadata.class)) return false;
        // The companion object itself: an internal one Java sees as an empty class (see isHiddenCompanion).
        if (field.getName().equals("Companion")) return false;
        try {
            kotlin.reflect.KClass<?> companion = kotlin.reflect.full.KClasses.getCompanionObject(kotlin.jvm.JvmClassMappingKt.getKotlinClass(type));
            if (companion == null) return false;
            if (isKotlinInternal(kotlin.jvm.JvmClassMappingKt.getJavaClass(companion))) return true;
            for (kotlin.reflect.KCallable<?> c : companion.getMembers()) {
                if (c.getName().equals(field.getName()) && c instanceof kotlin.reflect.KProperty<?>) {
                    kotlin.reflect.KVisibility v = c.getVisibility();
                    return v == kotlin.reflect.KVisibility.INTERNAL || v == kotlin.reflect.KVisibility.PRIVATE;
                }
            }
        } catch (UnsupportedOperationException | Error e) {
            // No Kotlin class view: not a Kotlin constant.
        }
        return false;
    }

    /** Whether Kotlin declares [type] (or a class it is nested in) {@code internal} or {@code private}. */
    static boolean isKotlinInternal(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!c.isAnnotationPresent(kotlin.Metadata.class)) continue;
            try {
                kotlin.reflect.KVisibility v = kotlin.jvm.JvmClassMappingKt.getKotlinClass(c).getVisibility();
                if (v == kotlin.reflect.KVisibility.INTERNAL || v == kotlin.reflect.KVisibility.PRIVATE) return true;
            } catch (UnsupportedOperationException | Error e) {
                // A file facade or compiler-made class: not a Kotlin class declaration.
            }
        }
        return false;
    }

    /**
     * The constructors and functions Kotlin declares {@code internal}: the compiler makes them public in bytecode, so
     * Java code can call them unless they are also synthetic (which {@link #members} already leaves out).
     */
    static Set<Member> kotlinInternalMembers(Class<?> type) {
        Set<Member> result = new java.util.HashSet<>();
        if (!type.isAnnotationPresent(kotlin.Metadata.class)) return result;
        try {
            kotlin.reflect.KClass<?> k = kotlin.jvm.JvmClassMappingKt.getKotlinClass(type);
            for (kotlin.reflect.KFunction<?> f : k.getConstructors()) {
                if (f.getVisibility() == kotlin.reflect.KVisibility.INTERNAL) {
                    Constructor<?> c = kotlin.reflect.jvm.ReflectJvmMapping.getJavaConstructor(f);
                    if (c != null) result.add(c);
                }
            }
            for (kotlin.reflect.KCallable<?> c : k.getMembers()) {
                if (c.getVisibility() != kotlin.reflect.KVisibility.INTERNAL) continue;
                if (c instanceof kotlin.reflect.KFunction<?> f) {
                    Method m = kotlin.reflect.jvm.ReflectJvmMapping.getJavaMethod(f);
                    if (m != null) result.add(m);
                } else if (c instanceof kotlin.reflect.KProperty<?> p) {
                    Method getter = kotlin.reflect.jvm.ReflectJvmMapping.getJavaGetter(p);
                    if (getter != null) result.add(getter);
                    Field field = kotlin.reflect.jvm.ReflectJvmMapping.getJavaField(p);
                    if (field != null) result.add(field);
                }
            }
        } catch (UnsupportedOperationException | Error e) {
            // File facades and compiler-made classes have no Kotlin class view: the name checks still cover them.
        }
        return result;
    }

    /** A suspend function (its last parameter is the continuation) or one that takes or returns a Flow. */
    private static boolean isCoroutineMember(Member member) {
        if (!(member instanceof Method m)) return false;
        Class<?>[] params = m.getParameterTypes();
        if (params.length > 0 && params[params.length - 1].getName().equals("kotlin.coroutines.Continuation")) return true;
        return describe(m).contains("kotlinx.coroutines.flow.Flow");
    }

    private static String problem(Member member, boolean kotlinApi) {
        String name = member instanceof Constructor<?> ? "" : member.getName();
        if (name.contains("$")) return "name with '$' (an internal or compiler-made member)";
        if (name.contains("-")) return "mangled name (a Kotlin inline class in the signature)";
        String signature = describe(member);
        // Even the coroutine API must not take or return implementation types.
        var internalType = INTERNAL_PACKAGE_TYPE.matcher(signature);
        if (internalType.find()) return "type " + internalType.group(1) + " of an internal package in the signature";
        if (kotlinApi) return null;
        var matcher = KOTLIN_ONLY_TYPE.matcher(signature);
        if (matcher.find()) return "Kotlin-only type " + matcher.group(1) + " in the signature";
        return null;
    }
}
