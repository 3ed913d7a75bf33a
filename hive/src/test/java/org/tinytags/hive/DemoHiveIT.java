package org.tinytags.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.classify.TagRows;
import org.tinytags.image.CifarClasses;
import org.tinytags.testing.TestCifar;

/**
 * The demo's Hive stage and the line it prints, run as a user runs them: the demo in its own
 * JVM, the hive command in a third one (the launcher), Hive embedded with its metastore in the
 * demo's work directory.
 */
class DemoHiveIT {
  @TempDir
  Path work;

  @Test
  void theDemoCreatesTablesThatItsPrintedQueryReads() throws Exception {
    Pipeline.Run demo = Pipeline.ok("demo", "--cifar", TestCifar.dir().toString(), "--work",
        work.toString(), "--images", "1200", "--images-per-block", "400", "--trees", "4",
        "--train-images", "1500", "--no-serve");
    assertTrue(demo.out().contains("demo: [7/7] hive done"), demo.out());
    Matcher printed = Pattern.compile("demo: SQL over the tags: bin/tinytags hive (--embedded "
        + "--metastore \\S+) -e \"([^\"]+)\"").matcher(demo.out());
    assertTrue(printed.find(), demo.out());
    assertEquals("--embedded --metastore " + work.resolve("hive"), printed.group(1));

    Map<String, Long> expected = new TreeMap<>();
    for (TagRows.Row row : TagRows.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(work.resolve("tags").toUri()))) {
      if (row.tagged()) {
        expected.merge(CifarClasses.name(row.label()), 1L, Long::sum);
      }
    }
    Pipeline.Run query = Pipeline.ok("hive", "--embedded", "--metastore",
        work.resolve("hive").toString(), "-e", printed.group(2));
    List<String> lines = query.out().lines().toList();
    assertEquals("tag\timages", lines.get(0));
    Map<String, Long> actual = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split("\t");
      actual.put(fields[0], Long.parseLong(fields[1]));
    }
    assertEquals(expected, actual);

    // Running the table step again changes nothing; a query file with its variables.
    Pipeline.ok("hive", "--classified", work.resolve("tags").toString(), "--blocks",
        work.resolve("blocks").toString(), "--embedded", "--metastore",
        work.resolve("hive").toString());
    Pipeline.Run counts = Pipeline.ok("hive", "--embedded", "--metastore",
        work.resolve("hive").toString(), "-f",
        Pipeline.root().resolve("hive/queries/counts_per_tag.hql").toString(), "--hivevar",
        "database=tinytags", "--hivevar", "table=images");
    long images = 0;
    long tagged = 0;
    List<String> rows = counts.out().lines().toList();
    assertEquals("tag\tband\timages\ttagged", rows.get(0));
    for (String line : rows.subList(1, rows.size())) {
      String[] fields = line.split("\t");
      images += Long.parseLong(fields[2]);
      tagged += Long.parseLong(fields[3]);
    }
    assertEquals(1200, images);
    assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), tagged);
  }
}
