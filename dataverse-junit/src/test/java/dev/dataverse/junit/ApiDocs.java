package dev.dataverse.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kotlinx.serialization.json.Json;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonObject;
import kotlinx.serialization.json.JsonPrimitive;

/**
 * The HTML API docs of one module (Dokka's output, as its -javadoc jar holds it), read the way a Java developer reads
 * them, and checked against what Java code sees of the module's classes.
 *
 * <p>{@link #textProblems()} finds what has no place in a Java view: template placeholders ({@code TODO}), Kotlin's
 * {@code Unit} as a return type, Kotlin JVM annotations ({@code @JvmOverloads}, {@code @JvmStatic}, ...) shown on
 * declarations. {@link #javaMismatches(ClassLoader)} reads every signature of every class page (the class, its
 * constructors, fields and methods, inherited ones included) and looks each one up by reflection: a member Java code
 * cannot see (a Kotlin property shown as a field instead of its getter, a synthetic function), or one with other
 * types (boxed instead of primitive, {@code Unit} instead of {@code void}, no continuation on a suspend function) or
 * another {@code static}/{@code abstract}/{@code final} modifier, is reported.
 */
final class ApiDocs {

    /** One declaration as a signature block of the docs shows it. */
    record Signature(String kind, Set<String> modifiers, List<String> annotations, String type, String name,
                     List<String> parameterTypes, String text) {}

    /** One class page: the class, as named by Dokka's search index, and the signatures of its members. */
    record ClassPage(String page, String className, Signature declaration, List<Signature> members) {}

    private static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "abstract", "final", "static",
            "default", "synchronized", "native", "transient", "volatile", "strictfp", "sealed", "open");
    private static final Pattern MEMBER_ROW = Pattern.compile("<a data-name=\"[^\"]*%2F(Constructors|Properties|Functions|Classlikes)%2F[^\"]*\"");
    private static final Pattern DIV = Pattern.compile("<(/?)div\\b[^>]*>");
    private static final Pattern UNIT_RETURN = Pattern.compile("(^|\\s)Unit\\s+[\\w$]+(<[^()]*>)?\\(");

    private final String module;
    private final Map<String, String> pages;
    private final Map<String, String> classNamesByPage;

    private ApiDocs(String module, Map<String, String> pages, Map<String, String> classNamesByPage) {
        this.module = module;
        this.pages = pages;
        this.classNamesByPage = classNamesByPage;
    }

    /** The docs in a -javadoc jar, or in a directory laid out like one. */
    static ApiDocs read(String module, Path jarOrDirectory) {
        if (Files.isDirectory(jarOrDirectory)) return readTree(module, jarOrDirectory);
        try (FileSystem jar = FileSystems.newFileSystem(jarOrDirectory)) {
            return readTree(module, jar.getPath("/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Docs made of the given pages (relative path to HTML) and search index: lets a test show what the checks catch. */
    static ApiDocs of(String module, Map<String, String> pages, String searchIndexJson) {
        return new ApiDocs(module, pages, classPagesOf(searchIndexJson));
    }

    private static ApiDocs readTree(String module, Path root) {
        Map<String, String> pages = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".html"))::iterator) {
                pages.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
            Path index = root.resolve("scripts/pages.json");
            if (!Files.exists(index)) throw new IllegalStateException("No search index scripts/pages.json in " + root);
            return new ApiDocs(module, pages, classPagesOf(Files.readString(index)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Page (relative path) to class name, for the class pages of Dokka's search index. */
    private static Map<String, String> classPagesOf(String searchIndexJson) {
        Map<String, String> result = new TreeMap<>();
        for (JsonElement entry : kotlinx.serialization.json.JsonElementKt.getJsonArray(Json.Default.parseToJsonElement(searchIndexJson))) {
            JsonObject object = (JsonObject) entry;
            String name = text(object.get("name"));
            String location = text(object.get("location"));
            Signature signature = parse(name);
            if (signature != null && signature.kind().startsWith("class:") && location.endsWith("/index.html")) {
                result.put(location, text(object.get("description")));
            }
        }
        return result;
    }

    private static String text(JsonElement element) {
        return ((JsonPrimitive) element).getContent();
    }

    String module() {
        return module;
    }

    int pageCount() {
        return pages.size();
    }

    /** The class pages, with their declarations and member signatures. */
    List<ClassPage> classPages() {
        List<ClassPage> result = new ArrayList<>();
        for (Map.Entry<String, String> entry : classNamesByPage.entrySet()) {
            String html = pages.get(entry.getKey());
            if (html == null) throw new IllegalStateException("The search index names " + entry.getKey() + ", which is missing");
            result.add(classPage(entry.getKey(), entry.getValue(), html));
        }
        return result;
    }

    /** The class page of {@code className} (dots between nested classes). */
    ClassPage classPage(String className) {
        return classPages().stream().filter(p -> p.className().equals(className)).findFirst()
                .orElseThrow(() -> new AssertionError(module + " has no page for " + className));
    }

    private static ClassPage classPage(String page, String className, String html) {
        List<String> firstBlocks = signatureBlocks(html.substring(0, Math.max(0, firstRow(html))));
        Signature declaration = firstBlocks.isEmpty() ? null : parse(firstBlocks.get(0));
        List<Signature> members = new ArrayList<>();
        Matcher row = MEMBER_ROW.matcher(html);
        List<int[]> rows = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        while (row.find()) {
            rows.add(new int[] {row.start()});
            kinds.add(row.group(1));
        }
        for (int i = 0; i < rows.size(); i++) {
            if (kinds.get(i).equals("Classlikes")) continue; // nested classes are checked on their own pages
            int end = i + 1 < rows.size() ? rows.get(i + 1)[0] : html.length();
            for (String block : signatureBlocks(html.substring(rows.get(i)[0], end))) {
                Signature s = parse(block);
                if (s != null) members.add(s);
            }
        }
        return new ClassPage(page, className, declaration, members);
    }

    private static int firstRow(String html) {
        Matcher m = MEMBER_ROW.matcher(html);
        return m.find() ? m.start() : html.length();
    }

    /** The text of every signature block ({@code <div class="symbol monospace ...">}) of a page. */
    static List<String> signatureBlocks(String html) {
        List<String> result = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = html.indexOf("<div class=\"symbol monospace", from);
            if (start < 0) return result;
            int depth = 0;
            int i = start;
            Matcher tag = DIV.matcher(html);
            int end = html.length();
            while (tag.find(i)) {
                depth += tag.group(1).isEmpty() ? 1 : -1;
                i = tag.end();
                if (depth == 0) {
                    end = tag.end();
                    break;
                }
            }
            result.add(visibleText(html.substring(start, end)));
            from = end;
        }
    }

    /** The text a browser shows: no tags, comments or scripts, entities decoded, spaces collapsed. */
    static String visibleText(String html) {
        // Block elements separate words; inline ones (Dokka's token spans) do not: Dokka writes the spaces itself.
        String text = html.replaceAll("(?s)<script\\b.*?</script>", " ").replaceAll("(?s)<!--.*?-->", " ")
                .replaceAll("(?i)</?(div|p|br|li|ul|ol|tr|td|th|h\\d|pre|table)\\b[^>]*>", " ").replaceAll("<[^>]+>", "");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&").replace('\u00a0', ' ');
        text = text.replaceAll("\\s+", " ").trim();
        // Dokka puts spaces around the tokens of a signature: join them as Java source spells them.
        return text.replaceAll("\\s+([(),<>\\[\\]])", "$1").replaceAll("([(<\\[])\\s+", "$1");
    }

    /** Placeholders, Kotlin's {@code Unit} returned and Kotlin JVM annotations, with the page they are on. */
    List<String> textProblems() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            String html = page.getValue();
            if (html.contains("TODO")) problems.add(page.getKey() + ": a TODO placeholder");
            for (String block : signatureBlocks(html)) {
                if (UNIT_RETURN.matcher(block).find()) problems.add(page.getKey() + ": returns Kotlin's Unit: " + block);
                if (block.contains("@Jvm")) problems.add(page.getKey() + ": shows a Kotlin JVM annotation: " + block);
            }
        }
        return problems;
    }

    /**
     * Every class page and member signature that does not match what Java code sees, looked up by reflection with
     * {@code loader}; empty when the docs show exactly Java's view of what they show.
     */
    List<String> javaMismatches(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        for (ClassPage page : classPages()) {
            Class<?> type = load(page.className(), loader);
            if (type == null) {
                problems.add(page.page() + ": " + page.className() + " is no class Java code can load");
                continue;
            }
            if (page.declaration() == null) problems.add(page.page() + ": no declaration");
            else {
                String problem = declarationProblem(page.declaration(), type);
                if (problem != null) problems.add(page.page() + ": " + page.declaration().text() + "  <- " + problem);
            }
            for (Signature member : page.members()) {
                String problem = memberProblem(member, type);
                if (problem != null) problems.add(page.className() + ": " + member.text() + "  <- " + problem);
            }
        }
        return problems;
    }

    /**
     * The members Java code sees declared on each documented class that its page does not show, but those docs leave
     * out on purpose: Kotlin {@code internal} members (public in bytecode), {@code equals}/{@code hashCode}/
     * {@code toString} and a data class's {@code componentN}/{@code copy} (Dokka's obvious functions), enum constants
     * (listed as entries), the {@code Companion} field, and a companion's methods that are static methods of its class
     * too.
     */
    List<String> javaMembersNotShown(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        for (ClassPage page : classPages()) {
            Class<?> type = load(page.className(), loader);
            if (type == null) continue;
            Set<String> shown = page.members().stream().map(ApiDocs::key).collect(Collectors.toSet());
            Set<java.lang.reflect.Member> internal = ApiSurface.kotlinInternalMembers(type);
            for (java.lang.reflect.Member member : ApiSurface.members(type)) {
                if (internal.contains(member) || leftOutOnPurpose(member, type)) continue;
                if (!shown.contains(key(member))) problems.add(page.className() + ": " + member);
            }
        }
        return problems;
    }

    private static boolean leftOutOnPurpose(java.lang.reflect.Member member, Class<?> type) {
        String name = member.getName();
        if (member instanceof Field f) {
            return f.isEnumConstant() || name.equals("Companion") || ApiSurface.isKotlinInternalCompanionConstant(f);
        }
        if (member instanceof Method m) {
            return (name.equals("equals") && m.getParameterCount() == 1) || (name.matches("hashCode|toString") && m.getParameterCount() == 0)
                    || name.matches("component\\d+|copy") || isMirroredByAStatic(m, type);
        }
        return false;
    }

    /** A companion's method that its class has as a static method too ({@code @JvmStatic}): Java code calls that one. */
    private static boolean isMirroredByAStatic(Method method, Class<?> type) {
        if (!type.getSimpleName().equals("Companion") || type.getDeclaringClass() == null) return false;
        try {
            return Modifier.isStatic(type.getDeclaringClass().getMethod(method.getName(), method.getParameterTypes()).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String key(Signature s) {
        return switch (s.kind()) {
            case "method" -> s.name() + s.parameterTypes();
            case "constructor" -> "<init>" + s.parameterTypes();
            case "field" -> s.name();
            default -> s.kind() + " " + s.name();
        };
    }

    private static String key(java.lang.reflect.Member member) {
        if (member instanceof Method m) return m.getName() + erase(m.getGenericParameterTypes());
        if (member instanceof Constructor<?> c) return "<init>" + erase(c.getGenericParameterTypes());
        return member.getName();
    }

    /** The class named with dots between nested classes, or null. */
    static Class<?> load(String className, ClassLoader loader) {
        String name = className;
        while (true) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                int dot = name.lastIndexOf('.');
                if (dot < 0) return null;
                name = name.substring(0, dot) + "$" + name.substring(dot + 1);
            }
        }
    }

    private static String declarationProblem(Signature s, Class<?> type) {
        String expected = type.isAnnotation() ? "class:@interface" : type.isInterface() ? "class:interface"
                : type.isEnum() ? "class:enum" : "class:class";
        if (!s.kind().equals(expected)) return "Java sees " + expected.substring("class:".length());
        if (!Modifier.isPublic(type.getModifiers())) return "Java sees a class that is not public";
        if (s.kind().equals("class:class") && s.modifiers().contains("final") != Modifier.isFinal(type.getModifiers())) {
            return Modifier.isFinal(type.getModifiers()) ? "Java sees a final class" : "Java sees a class that is not final";
        }
        return null;
    }

    private static String memberProblem(Signature s, Class<?> type) {
        return switch (s.kind()) {
            case "method" -> methodProblem(s, type);
            case "constructor" -> constructorProblem(s, type);
            case "field" -> fieldProblem(s, type);
            default -> null; // enum constants (a name only), nested classes: checked elsewhere
        };
    }

    private static String methodProblem(Signature s, Class<?> type) {
        List<Method> sameName = visibleMethods(type).stream().filter(m -> m.getName().equals(s.name())).toList();
        if (sameName.isEmpty()) return "Java sees no method " + s.name() + " here";
        Map<TypeVariable<?>, Type> arguments = typeArguments(type);
        List<Method> sameParameters = sameName.stream()
                .filter(m -> erase(m.getGenericParameterTypes(), arguments).equals(s.parameterTypes())).toList();
        if (sameParameters.isEmpty()) return "Java sees " + describe(sameName);
        for (Method m : sameParameters) {
            if (!erase(m.getGenericReturnType(), arguments).equals(erase(s.type()))) continue;
            String modifierProblem = modifierProblem(s, m.getModifiers(), m.getDeclaringClass().isInterface());
            if (modifierProblem == null) return null;
            return modifierProblem + ": " + describe(List.of(m));
        }
        return "Java sees " + describe(sameParameters);
    }

    private static String constructorProblem(Signature s, Class<?> type) {
        List<Constructor<?>> visible = Arrays.stream(type.getDeclaredConstructors())
                .filter(c -> !c.isSynthetic() && (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())))
                .toList();
        for (Constructor<?> c : visible) {
            if (erase(c.getGenericParameterTypes()).equals(s.parameterTypes())) return null;
        }
        return "Java sees the constructors " + visible.stream().map(c -> erase(c.getGenericParameterTypes()).toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String fieldProblem(Signature s, Class<?> type) {
        for (Field f : type.getFields()) {
            if (!f.getName().equals(s.name())) continue;
            if (!erase(f.getGenericType()).equals(erase(s.type()))) return "Java sees the field as " + f.getGenericType().getTypeName();
            if (s.modifiers().contains("static") != Modifier.isStatic(f.getModifiers())) return "static differs";
            return null;
        }
        return "Java sees no field " + s.name() + " (a Kotlin property is a getter in Java)";
    }

    private static String modifierProblem(Signature s, int modifiers, boolean inInterface) {
        if (s.modifiers().contains("static") != Modifier.isStatic(modifiers)) {
            return Modifier.isStatic(modifiers) ? "Java sees it static" : "Java sees it not static";
        }
        if (s.modifiers().contains("abstract") != Modifier.isAbstract(modifiers)) {
            return Modifier.isAbstract(modifiers) ? "Java sees it abstract" : "Java sees it implemented (not abstract)";
        }
        if (!inInterface && s.modifiers().contains("final") != Modifier.isFinal(modifiers)) {
            return Modifier.isFinal(modifiers) ? "Java sees it final" : "Java sees it not final";
        }
        return null;
    }

    /** The methods Java code can call on the type: public ones, inherited included, and protected declared ones. */
    private static List<Method> visibleMethods(Class<?> type) {
        Map<String, Method> result = new LinkedHashMap<>();
        Stream.concat(Arrays.stream(type.getMethods()), Arrays.stream(type.getDeclaredMethods())
                        .filter(m -> Modifier.isProtected(m.getModifiers())))
                .filter(m -> !m.isSynthetic() && !m.isBridge())
                .forEach(m -> result.putIfAbsent(m.toGenericString(), m));
        return new ArrayList<>(result.values());
    }

    private static String describe(List<Method> methods) {
        return methods.stream().map(Method::toGenericString).collect(Collectors.joining(" | "));
    }

    private static List<String> erase(Type[] types) {
        return Arrays.stream(types).map(ApiDocs::erase).toList();
    }

    private static List<String> erase(Type[] types, Map<TypeVariable<?>, Type> arguments) {
        return Arrays.stream(types).map(t -> erase(t, arguments)).toList();
    }

    /**
     * A type as the docs name it on the page of a subclass: a type variable of a superclass is shown as the type
     * argument the subclass gives it ({@code eq(String)} on a {@code ComparableColumn<String>}, not {@code eq(T)}).
     */
    private static String erase(Type type, Map<TypeVariable<?>, Type> arguments) {
        if (type instanceof TypeVariable<?> v && arguments.containsKey(v)) return erase(arguments.get(v), arguments);
        if (type instanceof GenericArrayType g) return erase(g.getGenericComponentType(), arguments) + "[]";
        return erase(type);
    }

    /** The type arguments [type]'s superclass chain gives to its superclasses' type variables, resolved through the chain. */
    private static Map<TypeVariable<?>, Type> typeArguments(Class<?> type) {
        Map<TypeVariable<?>, Type> arguments = new HashMap<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] actual = p.getActualTypeArguments();
                for (int i = 0; i < variables.length; i++) {
                    Type argument = actual[i];
                    arguments.put(variables[i], argument instanceof TypeVariable<?> v && arguments.containsKey(v) ? arguments.get(v) : argument);
                }
            }
        }
        return arguments;
    }

    /** A reflected type as the docs name it: simple names, no type arguments. */
    static String erase(Type type) {
        if (type instanceof Class<?> c) return c.isArray() ? erase(c.getComponentType()) + "[]" : c.getSimpleName();
        if (type instanceof ParameterizedType p) return erase(p.getRawType());
        if (type instanceof GenericArrayType g) return erase(g.getGenericComponentType()) + "[]";
        if (type instanceof TypeVariable<?> v) return v.getName();
        return type.getTypeName();
    }

    /** A type of the docs with simple names and no type arguments; a vararg is the array it is in bytecode. */
    static String erase(String type) {
        String t = type.replace("...", "[]");
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : t.toCharArray()) {
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (depth == 0) out.append(c);
        }
        String erased = out.toString().trim();
        String suffix = "";
        while (erased.endsWith("[]")) {
            suffix += "[]";
            erased = erased.substring(0, erased.length() - 2);
        }
        return erased.substring(erased.lastIndexOf('.') + 1) + suffix;
    }

    /** Parses one signature block's text; null for text that is no declaration. */
    static Signature parse(String raw) {
        String text = raw.replace('\u00a0', ' ').replaceAll("\\s+", " ").trim();
        List<String> annotations = new ArrayList<>();
        while (text.startsWith("@")) {
            Matcher m = Pattern.compile("^@([\\w.]+)").matcher(text);
            if (!m.find()) return null;
            annotations.add(m.group(1));
            int i = m.end();
            if (i < text.length() && text.charAt(i) == '(') i = closing(text, i, '(', ')') + 1;
            text = text.substring(i).trim();
        }
        if (text.isEmpty()) return null;
        int paren = indexAtDepthZero(text, '(');
        if (paren >= 0) {
            List<String> head = splitAtDepthZero(text.substring(0, paren), ' ');
            int close = closing(text, paren, '(', ')');
            List<String> parameterTypes = new ArrayList<>();
            for (String parameter : splitAtDepthZero(text.substring(paren + 1, close), ',')) {
                List<String> words = splitAtDepthZero(parameter.trim().replaceAll("^(@[\\w.]+(\\([^)]*\\))?\\s*)+", ""), ' ');
                if (words.isEmpty()) continue;
                parameterTypes.add(erase(String.join(" ", words.subList(0, Math.max(1, words.size() - 1)))));
            }
            Set<String> modifiers = new java.util.LinkedHashSet<>();
            int i = 0;
            while (i < head.size() && MODIFIERS.contains(head.get(i))) modifiers.add(head.get(i++));
            List<String> rest = head.subList(i, head.size());
            if (rest.isEmpty()) return null;
            String name = rest.get(rest.size() - 1).replaceAll("<.*>$", "");
            String type = String.join(" ", rest.subList(0, rest.size() - 1));
            // Kotlin-as-Java writes a constructor like a method returning its class: `public Outer.Builder Outer.Builder()`.
            boolean constructor = type.isEmpty() || erase(type).equals(erase(name));
            return new Signature(constructor ? "constructor" : "method", modifiers, annotations, type, name,
                    parameterTypes, raw);
        }
        List<String> words = splitAtDepthZero(text, ' ');
        Set<String> modifiers = new java.util.LinkedHashSet<>();
        int i = 0;
        while (i < words.size() && MODIFIERS.contains(words.get(i))) modifiers.add(words.get(i++));
        if (i < words.size() && List.of("class", "interface", "enum", "@interface").contains(words.get(i))) {
            String name = i + 1 < words.size() ? words.get(i + 1).replaceAll("<.*>$", "") : "";
            return new Signature("class:" + words.get(i), modifiers, annotations, "", name, List.of(), raw);
        }
        if (words.size() - i >= 2) {
            return new Signature("field", modifiers, annotations, String.join(" ", words.subList(i, words.size() - 1)),
                    words.get(words.size() - 1), List.of(), raw);
        }
        return new Signature("constant", modifiers, annotations, "", text, List.of(), raw);
    }

    private static int closing(String text, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == o) depth++;
            else if (text.charAt(i) == c && --depth == 0) return i;
        }
        return text.length() - 1;
    }

    private static int indexAtDepthZero(String text, char wanted) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == wanted && depth == 0) return i;
            if (c == '<') depth++;
            else if (c == '>') depth--;
        }
        return -1;
    }

    private static List<String> splitAtDepthZero(String text, char separator) {
        List<String> result = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '<' || c == '(') depth++;
            else if (c == '>' || c == ')') depth--;
            if (c == separator && depth == 0) {
                if (!current.toString().isBlank()) result.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) result.add(current.toString().trim());
        return result;
    }
}
