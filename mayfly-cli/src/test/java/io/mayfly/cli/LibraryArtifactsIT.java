package io.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What someone depending on the libraries gets: a licence, a BOM that lists every published module,
 * and jars with a stable module name, sources and javadoc. Runs after {@code package}, when the
 * modules this one depends on have built their jars.
 */
class LibraryArtifactsIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("mayfly.version");

  private static List<String> matches(String text, String regex) {
    var found = new ArrayList<String>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The modules of the root pom that attach sources and javadoc: the published libraries. */
  private static List<String> publishedModules() throws IOException {
    var published = new ArrayList<String>();
    String root = Files.readString(ROOT.resolve("pom.xml"));
    for (String module : matches(root, "<module>([^<]+)</module>")) {
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      if (pom.contains("<artifactId>maven-source-plugin</artifactId>")) {
        assertThat(pom).as(module).contains("<artifactId>maven-javadoc-plugin</artifactId>");
        published.add(module);
      }
    }
    return published;
  }

  @Test
  void licenceAndPomMetadataAreThere() throws IOException {
    assertThat(ROOT.resolve("LICENSE"))
        .content()
        .contains("Apache License")
        .contains("Version 2.0, January 2004");
    String root = Files.readString(ROOT.resolve("pom.xml"));
    assertThat(root)
        .contains("<name>Apache-2.0</name>")
        .contains("<name>The Mayfly authors</name>")
        .contains("<description>");
  }

  @Test
  void readmeGivesTheCoordinatesWithTheVersionAndTheInstallStep() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme)
        .contains("./mvnw -B install -DskipTests")
        .contains("<artifactId>mayfly-runtime</artifactId>\n  <version>" + VERSION + "</version>");
  }

  @Test
  void bomListsExactlyThePublishedModulesAtTheProjectVersion() throws IOException {
    String bom = Files.readString(ROOT.resolve("mayfly-bom/pom.xml"));
    assertThat(matches(bom, "<artifactId>(mayfly-[a-z-]+)</artifactId>"))
        .filteredOn(a -> !a.equals("mayfly-bom"))
        .containsExactlyInAnyOrderElementsOf(publishedModules());
    assertThat(matches(bom, "<version>([^<]+)</version>")).first().isEqualTo(VERSION);
    assertThat(bom).doesNotContain("<parent>");
  }

  @Test
  void publishedJarsHaveSourcesJavadocAndAModuleName() throws IOException {
    // The libraries this module depends on have been packaged before it.
    for (String module : List.of("mayfly-http", "mayfly-mqtt")) {
      Path target = ROOT.resolve(module).resolve("target");
      String base = module + "-" + VERSION;
      assertThat(target.resolve(base + "-sources.jar")).isRegularFile();
      assertThat(target.resolve(base + "-javadoc.jar")).isRegularFile();
      assertThat(moduleName(target.resolve(base + ".jar")))
          .isEqualTo("io.mayfly." + module.substring("mayfly-".length()));
    }
    assertThat(moduleName(Path.of("target", "mayfly-cli-" + VERSION + ".jar")))
        .isEqualTo("io.mayfly.cli");
  }

  private static String moduleName(Path jar) throws IOException {
    try (var file = new JarFile(jar.toFile())) {
      return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }
}
