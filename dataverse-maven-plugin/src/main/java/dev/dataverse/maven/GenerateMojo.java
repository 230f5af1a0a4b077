package dev.dataverse.maven;

import dev.dataverse.codegen.CodeGenerator;
import dev.dataverse.codegen.CodegenException;
import dev.dataverse.codegen.Language;
import dev.dataverse.schema.InvalidSnapshotException;
import dev.dataverse.schema.SchemaSnapshot;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed models (tables, choices, column constants) from a schema snapshot and adds the output directory to
 * the build's compile source roots (or its test source roots with {@code testSources}).
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.dataverse</groupId>
 *   <artifactId>dataverse-maven-plugin</artifactId>
 *   <executions>
 *     <execution>
 *       <goals><goal>generate</goal></goals>
 *       <configuration>
 *         <snapshot>${project.basedir}/schema/dataverse-schema.json</snapshot>
 *         <language>java</language>
 *         <packageName>com.example.model</packageName>
 *       </configuration>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 *
 * The output directory belongs to the goal: {@code .kt} and {@code .java} files in it that the snapshot no longer
 * produces (a table removed from it) are deleted, and unchanged files are not rewritten.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {
    /** The schema snapshot file (the format of the README's "Schema snapshots" section). */
    @Parameter(property = "dataverse.snapshot", required = true)
    private File snapshot;

    /** {@code kotlin} or {@code java}; the default value is {@code kotlin}. */
    @Parameter(property = "dataverse.language", defaultValue = "kotlin")
    private String language;

    /** The package of the generated sources, e.g. {@code com.example.model}. */
    @Parameter(property = "dataverse.packageName", required = true)
    private String packageName;

    /** Where the sources are written; a source root of the build. */
    @Parameter(property = "dataverse.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/dataverse")
    private File outputDirectory;

    /** Adds the output directory to the test source roots instead of the main ones (for models only tests use). */
    @Parameter(property = "dataverse.testSources", defaultValue = "false")
    private boolean testSources;

    /** Skips the goal. */
    @Parameter(property = "dataverse.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping Dataverse model generation (dataverse.skip).");
            return;
        }
        try {
            CodeGenerator generator = CodeGenerator.builder().language(Language.of(language)).packageName(packageName).build();
            List<Path> written = generator.generate(SchemaSnapshot.read(snapshot.toPath()), outputDirectory.toPath());
            int removed = removeStale(outputDirectory.toPath(), new HashSet<>(written));
            getLog().info("Generated " + written.size() + " " + language + " sources from " + snapshot + " into " + outputDirectory
                    + (removed > 0 ? " (" + removed + " stale files removed)" : ""));
        } catch (CodegenException | InvalidSnapshotException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (UncheckedIOException | IOException e) {
            throw new MojoExecutionException("Cannot generate Dataverse models from " + snapshot + ": " + e.getMessage(), e);
        }
        String root = outputDirectory.getPath();
        if (testSources) {
            project.addTestCompileSourceRoot(root);
        } else {
            project.addCompileSourceRoot(root);
        }
    }

    private static int removeStale(Path directory, Set<Path> written) throws IOException {
        Set<Path> keep = written.stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
        List<Path> stale;
        try (Stream<Path> files = Files.walk(directory)) {
            stale = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".kt") || p.toString().endsWith(".java"))
                    .filter(p -> !keep.contains(p.toAbsolutePath().normalize()))
                    .collect(Collectors.toList());
        }
        for (Path file : stale) {
            Files.delete(file);
        }
        return stale.size();
    }
}
