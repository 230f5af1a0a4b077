package dev.dataverse.junit;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Whether Java code can import a package of this library with a wildcard next to the JDK packages it most often
 * imports the same way ({@link #JDK_PACKAGES}): {@code import dev.dataverse.*; import java.nio.file.*;} does not compile
 * once both packages have a public type of the same simple name and the code uses it.
 *
 * <p>Two views of the same question, both from the compiler's side (so a Kotlin {@code internal} class, public in
 * bytecode, counts too): {@link #clashes} lists the public types of a package named like a public type of a JDK package,
 * and {@link #compile} compiles a Java file that imports all of them with wildcards and uses every public type of the
 * package, where any such clash is an "ambiguous" compile error.
 */
final class JavaNameClashes {

    /** The JDK packages Java code imports with wildcards: java.lang is imported implicitly. */
    static final List<String> JDK_PACKAGES = List.of("java.lang", "java.util", "java.io", "java.nio.file", "java.time");

    private final String classpath;

    JavaNameClashes(String classpath) {
        this.classpath = classpath;
    }

    /** The packages of the classes under {@code root} (a classes directory or a jar), but {@code internal} ones. */
    static Set<String> packagesOf(Path root) {
        try {
            if (Files.isDirectory(root)) return packagesUnder(root);
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return packagesUnder(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> packagesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class"))
                    .map(p -> root.relativize(p.getParent()).toString().replace('\\', '/').replace('/', '.'))
                    .filter(name -> !name.isEmpty() && !name.matches("(.*\\.)?internal(\\..*)?"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The simple names of the public top-level types of each package, as the compiler sees them on the class path. */
    Map<String, Set<String>> publicTypes(Set<String> packages) {
        Map<String, Set<String>> result = new TreeMap<>();
        withElements(elements -> {
            for (String name : packages) result.put(name, publicTypes(elements, name));
            return null;
        });
        return result;
    }

    /**
     * Each public type of {@code packages} named like a public type of a JDK package, as
     * {@code dev.dataverse.Files = java.nio.file.Files}; empty when there is none.
     */
    List<String> clashes(Set<String> packages) {
        return withElements(elements -> {
            Map<String, String> jdk = new TreeMap<>();
            for (String name : JDK_PACKAGES) {
                PackageElement p = elements.getPackageElement(elements.getModuleElement("java.base"), name);
                for (String type : publicTypes(p)) jdk.putIfAbsent(type, name + "." + type);
            }
            if (!jdk.containsKey("Files") || !jdk.containsKey("Object")) throw new IllegalStateException("JDK packages not read: " + jdk.keySet());
            List<String> result = new ArrayList<>();
            for (String name : packages) {
                for (String type : publicTypes(elements, name)) {
                    if (jdk.containsKey(type)) result.add(name + "." + type + " = " + jdk.get(type));
                }
            }
            return result;
        });
    }

    /**
     * Compiles, for each package, a Java file importing the JDK packages and that package with wildcards and naming
     * every public type of the package and one type of each JDK package. Returns the compiler's errors (an ambiguous
     * name among them), each with the file's source; empty when every file compiles.
     */
    List<String> compile(Map<String, Set<String>> publicTypesByPackage) {
        List<JavaFileObject> sources = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, Set<String>> entry : publicTypesByPackage.entrySet()) {
            if (entry.getValue().isEmpty()) continue;
            String className = "WildcardImports" + index++;
            StringBuilder source = new StringBuilder();
            for (String jdk : JDK_PACKAGES) source.append("import ").append(jdk).append(".*;\n");
            source.append("import ").append(entry.getKey()).append(".*;\n\n");
            source.append("class ").append(className).append(" {\n");
            source.append("    Class<?>[] jdk = { String.class, List.class, File.class, Path.class, Instant.class };\n");
            source.append("    Class<?>[] library = {\n");
            for (String type : entry.getValue()) source.append("        ").append(type).append(".class,\n");
            source.append("    };\n}\n");
            sources.add(new Source(className, source.toString()));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path output;
        try {
            output = Files.createDirectories(Path.of("target", "wildcard-imports"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        compiler.getTask(null, null, diagnostics,
                List.of("-classpath", classpath, "-proc:none", "-implicit:none", "-nowarn", "-d", output.toString()),
                null, sources).call();
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null) + "\n    in " + ((Source) d.getSource()).text.replace("\n", "\n       "))
                .toList();
    }

    private static Set<String> publicTypes(Elements elements, String packageName) {
        PackageElement p = elements.getPackageElement(packageName);
        if (p == null) throw new IllegalStateException("No package " + packageName + " on the class path");
        return publicTypes(p);
    }

    private static Set<String> publicTypes(PackageElement p) {
        Set<String> names = new TreeSet<>();
        for (Element e : p.getEnclosedElements()) {
            boolean type = e.getKind().isClass() || e.getKind().isInterface() || e.getKind() == ElementKind.RECORD;
            if (type && e.getModifiers().contains(Modifier.PUBLIC)) names.add(((TypeElement) e).getSimpleName().toString());
        }
        return names;
    }

    /** The compiler's view of the class path, read once (the first query pays for it) and shared by the queries. */
    private Elements elements;

    private synchronized <T> T withElements(java.util.function.Function<Elements, T> query) {
        if (elements == null) {
            JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler().getTask(null, null, d -> { },
                    List.of("-classpath", classpath, "-proc:none"), null, List.of(new Source("Empty", "class Empty {}")));
            try {
                task.analyze();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            elements = task.getElements();
        }
        return query.apply(elements);
    }

    /** A Java source file held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
