package dev.dataverse.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Java code can write {@code import dev.dataverse.spark.*;} next to wildcard imports of {@code java.lang},
 * {@code java.util}, {@code java.io}, {@code java.nio.file} and {@code java.time}: no public type of the package is
 * named like one of theirs. The same check as dataverse-junit's JavaNameClashTest, for this module, whose classes need
 * Spark (provided) on the class path, which that module's tests do not have.
 */
class JavaNameClashTest {

    private static final String PACKAGE = "dev.dataverse.spark";
    private static final List<String> JDK_PACKAGES = List.of("java.lang", "java.util", "java.io", "java.nio.file", "java.time");
    private static final String CLASSPATH = System.getProperty("java.class.path");

    private static Set<String> publicTypes(PackageElement p) {
        Set<String> names = new TreeSet<>();
        for (Element e : p.getEnclosedElements()) {
            if ((e.getKind().isClass() || e.getKind().isInterface()) && e.getModifiers().contains(Modifier.PUBLIC)) {
                names.add(e.getSimpleName().toString());
            }
        }
        return names;
    }

    private static JavaFileObject source(String className, String text) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }

    private static Elements elements() throws IOException {
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler().getTask(null, null, d -> { },
                List.of("-classpath", CLASSPATH, "-proc:none"), null, List.of(source("Empty", "class Empty {}")));
        task.analyze();
        return task.getElements();
    }

    /** The public top-level types of the package as the compiler sees them (a Kotlin internal class would count too). */
    private static Set<String> libraryTypes(Elements elements) {
        Set<String> library = publicTypes(elements.getPackageElement(PACKAGE));
        assertTrue(library.containsAll(Set.of("DataverseDataSource", "DataverseSparkOptions", "SparkTokenProvider")), library::toString);
        return library;
    }

    @Test
    void noPublicTypeIsNamedLikeATypeOfTheJdkPackages() throws IOException {
        Elements elements = elements();
        Set<String> library = libraryTypes(elements);

        List<String> clashes = new ArrayList<>();
        for (String jdk : JDK_PACKAGES) {
            Set<String> jdkTypes = publicTypes(elements.getPackageElement(elements.getModuleElement("java.base"), jdk));
            assertTrue(!jdkTypes.isEmpty(), jdk);
            for (String type : library) if (jdkTypes.contains(type)) clashes.add(PACKAGE + "." + type + " = " + jdk + "." + type);
        }
        assertTrue(clashes.isEmpty(), () -> "Rename these, so that wildcard imports of both packages compile in Java: " + clashes);
    }

    @Test
    void wildcardImportsOfThePackageAndTheJdkPackagesCompile() throws IOException {
        Set<String> library = libraryTypes(elements());
        StringBuilder text = new StringBuilder();
        for (String jdk : JDK_PACKAGES) text.append("import ").append(jdk).append(".*;\n");
        text.append("import ").append(PACKAGE).append(".*;\n\nclass WildcardImports {\n");
        text.append("    Class<?>[] jdk = { String.class, List.class, File.class, Path.class, Instant.class };\n    Class<?>[] library = {\n");
        for (String type : library) text.append("        ").append(type).append(".class,\n");
        text.append("    };\n}\n");

        Path output = Files.createDirectories(Path.of("target", "wildcard-imports"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        ToolProvider.getSystemJavaCompiler().getTask(null, null, diagnostics,
                List.of("-classpath", CLASSPATH, "-proc:none", "-implicit:none", "-nowarn", "-d", output.toString()),
                null, List.of(source("WildcardImports", text.toString()))).call();

        List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).toList();
        assertTrue(errors.isEmpty(), () -> errors + "\nin\n" + text);
    }
}
