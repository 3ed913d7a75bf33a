package org.tinytags.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.classify.TagRows;
import org.tinytags.image.CifarClasses;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.BlockNames;
import org.tinytags.testing.TestCifar;

/**
 * The Hive surface against a real HiveServer2 (in this JVM, binary Thrift on 127.0.0.1, Hive
 * JDBC): a small real corpus split, classified by two forests, the tables made by the hive
 * command from the module's ddl/ files, and the queries/ files run as a user runs them. Every
 * figure is checked against the ORC rows classify wrote, read back without Hive.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HiveTablesIT {
  private static final int IMAGES = 3000;
  private static final int PER_BLOCK = 1000;
  private static final String DB = "tinytags";

  @TempDir
  static Path work;
  static Path corpus;
  static Path blocks;
  static Path modelA;
  static Path tagsA;
  static Path tagsB;
  static MiniDFSCluster hdfs;
  static String tagsBOnHdfs;
  static String udfJarOnHdfs;
  static TestHiveServer hive;
  static Connection sql;
  static BlockManifest manifest;
  static byte[] trueLabels;

  @BeforeAll
  static void classifyTwiceAndCreateTables() throws Exception {
    String cifar = TestCifar.dir().toString();
    corpus = work.resolve("corpus.bin");
    blocks = work.resolve("blocks");
    modelA = work.resolve("model-a");
    Path modelB = work.resolve("model-b");
    tagsA = work.resolve("tags-a");
    tagsB = work.resolve("tags-b");
    Pipeline.ok("make-corpus", "--cifar", cifar, "--images", String.valueOf(IMAGES),
        "--layout", "tiny", "--output", corpus.toString());
    Pipeline.ok("split", "--input", corpus.toString(), "--layout", "tiny",
        "--images-per-block", String.valueOf(PER_BLOCK), "--output", blocks.toString());
    Pipeline.ok("train", "--cifar", cifar, "--output", modelA.toString(), "--images", "2000",
        "--trees", "8", "--min-agreement", "0.4");
    Pipeline.ok("train", "--cifar", cifar, "--output", modelB.toString(), "--images", "2000",
        "--trees", "6", "--seed", "7", "--features", "hog");
    Pipeline.ok("classify", "--model", modelA.toString(), "--blocks", blocks.toString(),
        "--output", tagsA.toString());
    Pipeline.ok("classify", "--model", modelB.toString(), "--blocks", blocks.toString(),
        "--output", tagsB.toString());
    manifest = BlockManifest.read(local(), hadoop(blocks));
    trueLabels = Files.readAllBytes(Path.of(corpus + ".labels"));

    // HDFS as on a cluster: the UDF jar and model B's rows live there.
    Configuration hdfsConf = new Configuration();
    hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
    FileSystem dfs = hdfs.getFileSystem();
    dfs.copyFromLocalFile(hadoop(tagsB), new org.apache.hadoop.fs.Path("/tags-b"));
    dfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(udfJar()),
        new org.apache.hadoop.fs.Path("/jars/tinytags-udfs.jar"));
    tagsBOnHdfs = dfs.makeQualified(new org.apache.hadoop.fs.Path("/tags-b")).toString();
    udfJarOnHdfs = dfs.makeQualified(new org.apache.hadoop.fs.Path("/jars/tinytags-udfs.jar"))
        .toString();

    hive = new TestHiveServer(work.resolve("hive"));
    String created = hiveTool("--classified", tagsA.toString(), "--blocks", blocks.toString(),
        "--labels", corpus + ".labels", "--udf-jar", udfJarOnHdfs, "--jdbc", hive.jdbcUrl());
    assertEquals("", created, "table creation prints no rows");
    hiveTool("--classified", tagsBOnHdfs, "--table", "images_b", "--view", "tags_b",
        "--udf-jar", udfJarOnHdfs, "--jdbc", hive.jdbcUrl());
    sql = DriverManager.getConnection(hive.jdbcUrl(), "analyst", "");
    execute("SET orc.force.positional.evolution=false");
  }

  @AfterAll
  static void stop() throws SQLException {
    if (sql != null) {
      sql.close();
    }
    if (hive != null) {
      hive.close();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  static String udfJar() {
    String jar = System.getProperty("tinytags.udfs.jar");
    assertTrue(Files.isRegularFile(Path.of(jar)), jar);
    return jar;
  }

  // ---- helpers

  static FileSystem local() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  /** A local path as the hive command qualifies it. */
  static String uri(Path path) {
    return "file:" + path.toAbsolutePath();
  }

  static List<TagRows.Row> orcRows(Path tags) throws IOException {
    return TagRows.read(local(), hadoop(tags));
  }

  /** Runs the hive command in this JVM; returns what it printed on stdout. */
  static String hiveTool(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status = ToolRunner.run(new Configuration(), new HiveTool(print), args);
    assertEquals(0, status, "hive " + String.join(" ", args));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Runs one of the module's queries/ files with the given variables; rows without header. */
  static List<List<String>> query(String file, String... variables) throws Exception {
    List<String> args = new ArrayList<>(List.of("--jdbc", hive.jdbcUrl(), "-f",
        Pipeline.root().resolve("hive/queries").resolve(file).toString()));
    for (String variable : variables) {
      args.addAll(List.of("--hivevar", variable));
    }
    return tsv(hiveTool(args.toArray(new String[0])));
  }

  static List<List<String>> tsv(String printed) {
    List<String> lines = printed.lines().toList();
    assertFalse(lines.isEmpty(), "no header line");
    return lines.subList(1, lines.size()).stream()
        .map(line -> Arrays.asList(line.split("\t", -1))).toList();
  }

  static void execute(String statement) throws SQLException {
    try (Statement s = sql.createStatement()) {
      s.execute(statement);
    }
  }

  static List<List<String>> rows(String query) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = sql.createStatement(); ResultSet r = s.executeQuery(query)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(r.getString(c));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static String band(double agreement) {
    int percent = (int) Math.floor(agreement * 100 + 1e-9);
    int lower = Math.min(percent / 10, 9) * 10;
    return lower + "-" + (lower == 90 ? 100 : lower + 9);
  }

  // ---- the tables

  @Test
  @Order(1)
  void countsPerTagAndBandEqualTheOrcRows() throws Exception {
    Map<String, long[]> expected = new TreeMap<>();
    for (TagRows.Row row : orcRows(tagsA)) {
      long[] counts = expected.computeIfAbsent(CifarClasses.name(row.label()) + "\t"
          + band(row.agreement()), k -> new long[2]);
      counts[0]++;
      counts[1] += row.tagged() ? 1 : 0;
    }
    Map<String, long[]> actual = new TreeMap<>();
    long total = 0;
    for (List<String> row : query("counts_per_tag.hql", "database=" + DB, "table=images")) {
      actual.put(row.get(0) + "\t" + row.get(1),
          new long[] {Long.parseLong(row.get(2)), Long.parseLong(row.get(3))});
      total += Long.parseLong(row.get(2));
    }
    assertEquals(IMAGES, total);
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((key, counts) -> assertArrayEquals(counts, actual.get(key), key));
    System.err.printf("test: counts per tag and band: %d groups, %,d rows compared%n",
        expected.size(), total);
  }

  private static void assertArrayEquals(long[] expected, long[] actual, String what) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, what);
  }

  @Test
  @Order(1)
  void everyBlockIsAPartitionWithItsImages() throws Exception {
    List<List<String>> perBlock = rows("SELECT block, count(*), min(image_id), max(image_id) "
        + "FROM tinytags.images GROUP BY block ORDER BY block");
    assertEquals(manifest.blocks().size(), perBlock.size());
    for (BlockManifest.Block block : manifest.blocks()) {
      List<String> row = perBlock.get(block.block());
      assertEquals(List.of(String.valueOf(block.block()), String.valueOf(block.images()),
          String.valueOf(block.firstImage()),
          String.valueOf(block.firstImage() + block.images() - 1)), row);
    }
    assertEquals(List.of(List.of("3")), rows("SELECT count(*) FROM tinytags.blocks"));
    List<List<String>> blocksTable = rows("SELECT block, file, first_image, images, bytes, "
        + "sha256 FROM tinytags.blocks ORDER BY block");
    for (BlockManifest.Block block : manifest.blocks()) {
      assertEquals(List.of(String.valueOf(block.block()), block.file(),
          String.valueOf(block.firstImage()), String.valueOf(block.images()),
          String.valueOf(block.bytes()), block.sha256()), blocksTable.get(block.block()));
    }
  }

  @Test
  @Order(1)
  void theMostConfidentImagesPerTagAreTheOrcRowsTopN() throws Exception {
    int n = 5;
    Map<Integer, List<TagRows.Row>> byLabel = orcRows(tagsA).stream()
        .collect(Collectors.groupingBy(TagRows.Row::label));
    List<List<String>> expected = new ArrayList<>();
    byLabel.entrySet().stream()
        .sorted(Comparator.comparing(e -> CifarClasses.name(e.getKey())))
        .forEach(e -> {
          List<TagRows.Row> top = e.getValue().stream()
              .sorted(Comparator.comparingDouble(TagRows.Row::agreement).reversed()
                  .thenComparingLong(TagRows.Row::imageId))
              .limit(n).toList();
          for (int i = 0; i < top.size(); i++) {
            TagRows.Row r = top.get(i);
            expected.add(List.of(CifarClasses.name(r.label()), String.valueOf(i + 1),
                String.valueOf(r.imageId()), String.valueOf(r.agreement()),
                String.valueOf(r.votes()), String.valueOf(r.trees()), String.valueOf(r.block()),
                String.valueOf(r.offset())));
          }
        });
    assertEquals(expected, query("top_per_tag.hql", "database=" + DB, "table=images",
        "n=" + n));
  }

  @Test
  @Order(1)
  void lowAgreementBlocksAreThoseWhoseZScoreIsBelowTheCut() throws Exception {
    Map<Integer, double[]> sums = new TreeMap<>();
    for (TagRows.Row row : orcRows(tagsA)) {
      double[] s = sums.computeIfAbsent(row.block(), b -> new double[2]);
      s[0] += row.agreement();
      s[1]++;
    }
    double[] means = sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    double mean = Arrays.stream(means).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(means).map(m -> (m - mean) * (m - mean)).sum()
        / means.length);
    // z = 0: every block below the mean of the means.
    List<Integer> expected = new ArrayList<>();
    sums.forEach((block, s) -> {
      if ((s[0] / s[1] - mean) / sd < 0) {
        expected.add(block);
      }
    });
    List<List<String>> low = query("low_agreement_blocks.hql", "database=" + DB,
        "table=images", "z=0");
    assertEquals(expected.stream().sorted(Comparator.comparingDouble(
        b -> sums.get(b)[0] / sums.get(b)[1])).toList(),
        low.stream().map(r -> Integer.parseInt(r.get(0))).toList());
    for (List<String> row : low) {
      double[] s = sums.get(Integer.parseInt(row.get(0)));
      assertEquals((s[0] / s[1] - mean) / sd, Double.parseDouble(row.get(3)), 1e-9);
    }
    assertFalse(expected.isEmpty());
  }

  @Test
  @Order(1)
  void twoModelsConfusionIsTheJoinOfTheirRows() throws Exception {
    Map<Long, Integer> labelsB = new HashMap<>();
    for (TagRows.Row row : orcRows(tagsB)) {
      labelsB.put(row.imageId(), row.label());
    }
    Map<String, Long> expected = new TreeMap<>();
    for (TagRows.Row row : orcRows(tagsA)) {
      expected.merge(CifarClasses.name(row.label()) + "\t"
          + CifarClasses.name(labelsB.get(row.imageId())), 1L, Long::sum);
    }
    Map<String, Long> actual = new TreeMap<>();
    for (List<String> row : query("model_confusion.hql", "database=" + DB, "table_a=images",
        "table_b=images_b")) {
      actual.put(row.get(0) + "\t" + row.get(1), Long.parseLong(row.get(2)));
    }
    assertEquals(expected, actual);
    assertEquals(IMAGES, actual.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  @Order(1)
  void accuracyPerBlockIsAgainstTheLabelsSidecar() throws Exception {
    List<List<String>> accuracy = query("accuracy_per_block.hql", "database=" + DB,
        "table=images");
    Map<Integer, long[]> expected = new TreeMap<>();
    for (TagRows.Row row : orcRows(tagsA)) {
      long[] c = expected.computeIfAbsent(row.block(), b -> new long[4]);
      boolean right = row.label() == trueLabels[(int) row.imageId()];
      c[0]++;
      c[1] += right ? 1 : 0;
      c[2] += row.tagged() ? 1 : 0;
      c[3] += row.tagged() && right ? 1 : 0;
    }
    assertEquals(expected.size(), accuracy.size());
    for (List<String> row : accuracy) {
      long[] c = expected.get(Integer.parseInt(row.get(0)));
      assertEquals(c[0], Long.parseLong(row.get(1)));
      assertEquals((double) c[1] / c[0], Double.parseDouble(row.get(2)), 1e-9);
      assertEquals(c[2], Long.parseLong(row.get(3)));
      assertEquals((double) c[3] / c[2], Double.parseDouble(row.get(4)), 1e-9);
    }
    assertEquals(List.of(List.of(String.valueOf(IMAGES))),
        rows("SELECT count(*) FROM tinytags.true_labels"));
  }

  @Test
  @Order(1)
  void theViewReadsAsAPersonWouldWriteIt() throws Exception {
    List<TagRows.Row> block1 = orcRows(tagsA).stream().filter(r -> r.block() == 1).toList();
    List<List<String>> view = rows("SELECT image_id, tag, agreement, tagged, votes, trees, "
        + "class_votes, block, block_file, `offset` FROM tinytags.tags WHERE block = 1 "
        + "ORDER BY image_id");
    assertEquals(block1.size(), view.size());
    for (int i = 0; i < view.size(); i++) {
      TagRows.Row r = block1.get(i);
      StringBuilder votes = new StringBuilder("{");
      for (int label = 0; label < CifarClasses.COUNT; label++) {
        votes.append(label == 0 ? "" : ",").append('"').append(CifarClasses.name(label))
            .append("\":").append(r.classVotes()[label]);
      }
      votes.append('}');
      assertEquals(List.of(String.valueOf(r.imageId()), CifarClasses.name(r.label()),
          String.valueOf(r.votes() * 100 / r.trees()), String.valueOf(r.tagged()),
          String.valueOf(r.votes()), String.valueOf(r.trees()), votes.toString(), "1",
          manifest.block(1).file(), String.valueOf(r.offset())), view.get(i));
    }
  }

  // ---- the functions through SQL

  @Test
  @Order(1)
  void everyFunctionWorksThroughCreateFunctionUsingJar() throws Exception {
    List<List<String>> described = rows("DESCRIBE FUNCTION EXTENDED tinytags.runner_up");
    String description = described.stream().map(r -> r.get(0)).collect(Collectors.joining("\n"));
    assertTrue(description.contains("Example:"), description);
    assertTrue(description.contains(udfJarOnHdfs), description);
    execute("SET tinytags.web.url=http://127.0.0.1:8080/");
    execute("SET tinytags.blocks=hdfs://nn:8020/corpus/blocks");
    assertEquals(List.of(List.of("cat", "3", "40-49", "25-49", "14",
        "{\"label\":5,\"tag\":\"dog\",\"votes\":9,\"margin\":5}",
        "http://127.0.0.1:8080/api/image/1019.png",
        "hdfs://nn:8020/corpus/blocks/block-00042.bin@3072000")),
        rows("SELECT tinytags.tag_name(3), tinytags.tag_id('cat'), "
            + "tinytags.agreement_band(0.4667), tinytags.agreement_band(0.4667, 25), "
            + "tinytags.class_votes_map(array(1,0,2,14,0,9,3,1,0,0))['cat'], "
            + "tinytags.runner_up(array(1,0,2,14,0,9,3,1,0,0)), "
            + "tinytags.thumbnail_url(1019), tinytags.image_location(42, 3072000)"));
    assertEquals(List.of(Arrays.asList(null, null, null)),
        rows("SELECT tinytags.tag_name(12), tinytags.tag_id('kitten'), "
            + "tinytags.tag_name(CAST(NULL AS INT))"));
    // Over real rows, in a MapReduce task: the session variable travels in the job.
    List<List<String>> urls = rows("SELECT tinytags.thumbnail_url(image_id), count(*) "
        + "FROM tinytags.images WHERE block = 2 GROUP BY tinytags.thumbnail_url(image_id) "
        + "ORDER BY 1 LIMIT 1");
    assertEquals(List.of(List.of("http://127.0.0.1:8080/api/image/2000.png", "1")), urls);
    SQLException wrongType = assertThrows(SQLException.class,
        () -> rows("SELECT tinytags.tag_name('cat')"));
    assertTrue(wrongType.getMessage().contains("tag_name: argument 1 (label) must be an "
        + "integer (tinyint, smallint, int or bigint), not string"), wrongType.getMessage());
    SQLException fromCommand = assertThrows(SQLException.class, () -> hiveTool("--jdbc",
        hive.jdbcUrl(), "-e", "SELECT 1;\nSELECT tinytags.tag_name('cat')"));
    assertTrue(fromCommand.getMessage().contains("tag_name: argument 1 (label) must be an "
        + "integer"), fromCommand.getMessage());
    assertTrue(fromCommand.getMessage().endsWith("\n  in: SELECT tinytags.tag_name('cat')"),
        fromCommand.getMessage());
    SQLException percent = assertThrows(SQLException.class,
        () -> rows("SELECT tinytags.agreement_band(agreement * 100) FROM tinytags.images "
            + "WHERE block = 0 LIMIT 1"));
    assertTrue(percent.getMessage().contains("is outside 0-1"), percent.getMessage());
  }

  @Test
  @Order(1)
  void theJarAlsoWorksWithAddJarAndTemporaryFunctions() throws Exception {
    execute("ADD JAR " + udfJar());
    execute("CREATE TEMPORARY FUNCTION runner_up_tmp AS 'org.tinytags.udf.RunnerUp'");
    List<TagRows.Row> rows = orcRows(tagsA).stream().filter(r -> r.block() == 0).toList();
    Map<String, Long> expected = new TreeMap<>();
    for (TagRows.Row r : rows) {
      int[] v = r.classVotes();
      int second = -1;
      for (int i = 0; i < v.length; i++) {
        if (i != r.label() && (second < 0 || v[i] > v[second])) {
          second = i;
        }
      }
      expected.merge(CifarClasses.name(second), 1L, Long::sum);
    }
    Map<String, Long> actual = new TreeMap<>();
    for (List<String> row : rows("SELECT runner_up_tmp(class_votes).tag, count(*) "
        + "FROM tinytags.images WHERE block = 0 GROUP BY runner_up_tmp(class_votes).tag")) {
      actual.put(row.get(0), Long.parseLong(row.get(1)));
    }
    assertEquals(expected, actual);
  }

  // ---- Hue's table browser, over Thrift as Hue sends it

  @Test
  @Order(1)
  void hueBrowsesTheTablesOverThrift() throws Exception {
    try (HueThriftClient hue = new HueThriftClient("127.0.0.1", hive.port(), "alice")) {
      assertTrue(hue.schemas().contains(DB), "GetSchemas lists " + DB);
      Map<String, String> tables = hue.tables(DB);
      // HiveServer2's default hive.server2.table.type.mapping (CLASSIC) reports external
      // tables as TABLE and views as VIEW; Hue lists both kinds.
      assertEquals("TABLE", tables.get("images"));
      assertEquals("TABLE", tables.get("blocks"));
      assertEquals("VIEW", tables.get("tags"));
      assertTrue(hue.execute("DESCRIBE FORMATTED `" + DB + "`.`images`").stream()
          .anyMatch(r -> r.get(0) != null && r.get(0).trim().equals("Table Type:")
              && r.get(1).trim().equals("EXTERNAL_TABLE")), "images is an external table");
      List<List<String>> described = hue.execute("DESCRIBE FORMATTED `" + DB + "`.`images`");
      int info = indexOfFirst(described, "# Partition Information");
      assertTrue(info >= 0, "DESCRIBE FORMATTED has # Partition Information");
      // Hue reads the partition columns from the rows after the header, up to a blank row.
      List<String> partitionColumns = new ArrayList<>();
      for (List<String> row : described.subList(info + 2, described.size())) {
        if (row.get(0) == null || row.get(0).isBlank()) {
          break;
        }
        partitionColumns.add(row.get(0).trim());
      }
      assertEquals(List.of("block"), partitionColumns);
      String location = described.get(indexOfFirst(described, "Location:")).get(1).trim();
      assertEquals(uri(tagsA), location);
      List<List<String>> onHdfs = hue.execute("DESCRIBE FORMATTED `" + DB + "`.`images_b`");
      assertEquals(tagsBOnHdfs, onHdfs.get(indexOfFirst(onHdfs, "Location:")).get(1).trim());
      List<String> partitions = hue.execute("SHOW PARTITIONS `" + DB + "`.`images`").stream()
          .map(r -> r.get(0)).toList();
      assertEquals(List.of("block=0", "block=1", "block=2"), partitions);
      List<List<String>> partition = hue.execute("DESCRIBE FORMATTED `" + DB + "`.`images` "
          + "PARTITION(`block`=2)");
      assertTrue(partition.get(indexOfFirst(partition, "Location:")).get(1).trim()
          .endsWith("/" + BlockNames.partition(2)));
      List<List<String>> sample = hue.executeAsync("SELECT * FROM `" + DB + "`.`images` "
          + "WHERE (`block`=2) OR (`block`=1) LIMIT 100");
      assertEquals(100, sample.size());
      // Columns by name, not position: each sampled row is its ORC row (id, offset, label).
      Map<Long, TagRows.Row> byId = new HashMap<>();
      for (TagRows.Row r : orcRows(tagsA)) {
        byId.put(r.imageId(), r);
      }
      for (List<String> row : sample) {
        TagRows.Row r = byId.get(Long.parseLong(row.get(0)));
        assertEquals(List.of(String.valueOf(r.offset()), String.valueOf(r.label()),
            String.valueOf(r.votes()), String.valueOf(r.trees())), row.subList(1, 5));
      }
      hue.fetchLogs();
    }
  }

  private static int indexOfFirst(List<List<String>> rows, String first) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).get(0) != null && rows.get(i).get(0).trim().equals(first)) {
        return i;
      }
    }
    return -1;
  }

  // ---- re-runs, idempotence, bad input

  @Test
  @Order(2)
  void rerunningABlockAndTheCommandKeepsCountsExact() throws Exception {
    hiveTool("--classified", tagsA.toString(), "--blocks", blocks.toString(), "--labels",
        corpus + ".labels", "--jdbc", hive.jdbcUrl());
    assertEquals(List.of(List.of(String.valueOf(IMAGES))),
        rows("SELECT count(*) FROM tinytags.images"));
    Pipeline.ok("classify", "--model", modelA.toString(), "--blocks", blocks.toString(),
        "--output", tagsA.toString(), "--only", "1", "--min-agreement", "0.9",
        "--allow-mixed");
    hiveTool("--classified", tagsA.toString(), "--blocks", blocks.toString(), "--jdbc",
        hive.jdbcUrl());
    Map<Integer, long[]> expected = new TreeMap<>();
    for (TagRows.Row row : orcRows(tagsA)) {
      long[] c = expected.computeIfAbsent(row.block(), b -> new long[2]);
      c[0]++;
      c[1] += row.tagged() ? 1 : 0;
    }
    List<List<String>> actual = rows("SELECT block, count(*), sum(IF(tagged, 1, 0)) FROM "
        + "tinytags.images GROUP BY block ORDER BY block");
    assertEquals(3, actual.size());
    for (List<String> row : actual) {
      long[] c = expected.get(Integer.parseInt(row.get(0)));
      assertEquals(List.of(String.valueOf(c[0]), String.valueOf(c[1])), row.subList(1, 3));
    }
    assertTrue(expected.get(1)[1] < expected.get(0)[1], "the stricter re-run tagged fewer");

    // The same block's partition by hand, as ddl/partition.hql does it: counts unchanged.
    hiveTool("--jdbc", hive.jdbcUrl(), "-f",
        Pipeline.root().resolve("hive/ddl/partition.hql").toString(), "--hivevar", "block=1",
        "--hivevar", "partition_location=" + uri(tagsA.resolve(BlockNames.partition(1))));
    assertEquals(actual, rows("SELECT block, count(*), sum(IF(tagged, 1, 0)) FROM "
        + "tinytags.images GROUP BY block ORDER BY block"));
    assertEquals(List.of(List.of("block=0"), List.of("block=1"), List.of("block=2")),
        rows("SHOW PARTITIONS tinytags.images"));
  }

  @Test
  @Order(2)
  void hivesJarsStayOffTheJobsAndWebAppClassPaths() throws IOException {
    // hive-storage-api is ORC's column vectors, which classify writes with: not Hive.
    Path webapp = Pipeline.root().resolve("webapp/target");
    for (String file : List.of("local-classpath.txt", "runtime-classpath.txt")) {
      List<String> hiveJars = Arrays.stream(Files.readString(webapp.resolve(file)).trim()
          .split(java.io.File.pathSeparator))
          .filter(jar -> jar.contains("/org/apache/hive/") && !jar.contains("hive-storage-api"))
          .toList();
      assertEquals(List.of(), hiveJars, file);
    }
  }

  @Test
  @Order(2)
  void printWritesTheDdlWithLocationsAndRunsNothing() throws Exception {
    String printed = hiveTool("--classified", tagsB.toString(), "--blocks", blocks.toString(),
        "--database", "printed", "--print");
    assertTrue(printed.startsWith("SET orc.force.positional.evolution=false;"), printed);
    assertTrue(printed.contains("CREATE EXTERNAL TABLE IF NOT EXISTS printed.images"), printed);
    assertTrue(printed.contains("LOCATION '" + uri(tagsB) + "'"), printed);
    assertTrue(printed.contains("LOCATION '" + uri(blocks) + "/hive-blocks'"), printed);
    assertFalse(printed.contains("${hivevar:"), printed);
    assertEquals(List.of(), rows("SHOW DATABASES LIKE 'printed'"));
  }

  @Test
  @Order(2)
  void aDirectoryThatIsNoClassifyOutputIsRefusedAndNothingIsCreated() throws Exception {
    IOException splitOutput = assertThrows(IOException.class, () -> hiveTool("--classified",
        blocks.toString(), "--database", "refused", "--jdbc", hive.jdbcUrl()));
    assertEquals(uri(blocks) + " is not a classify output: it has no block=NNNNN partition "
        + "directories (write one with 'tinytags classify')", splitOutput.getMessage());
    Path stray = work.resolve("tags-stray");
    FileUtils.copyDirectory(tagsB.toFile(), stray.toFile());
    Files.writeString(stray.resolve("notes.txt"), "not a partition");
    IOException strays = assertThrows(IOException.class, () -> hiveTool("--classified",
        stray.toString(), "--database", "refused", "--jdbc", hive.jdbcUrl()));
    assertEquals(uri(stray) + " holds [notes.txt] beside its block=NNNNN partitions: not a "
        + "classify output as classify writes it", strays.getMessage());
    Files.delete(stray.resolve("notes.txt"));
    Path notOrc = stray.resolve(BlockNames.partition(0)).resolve("part-00000.orc");
    Files.writeString(notOrc, "these are not ORC bytes");
    IOException corrupt = assertThrows(IOException.class, () -> hiveTool("--classified",
        stray.toString(), "--database", "refused", "--jdbc", hive.jdbcUrl()));
    assertTrue(corrupt.getMessage().startsWith(uri(notOrc) + " is not an ORC file of "
        + "classify's rows: "), corrupt.getMessage());
    assertEquals(List.of(), rows("SHOW DATABASES LIKE 'refused'"));
  }

  @Test
  @Order(2)
  void aLabelsSidecarOfAnotherCorpusIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path split = work.resolve("blocks-fresh");
    FileUtils.copyDirectory(blocks.toFile(), split.toFile());
    FileUtils.deleteDirectory(split.resolve(TableData.BLOCKS_DIR).toFile());
    Path shorter = work.resolve("shorter.labels");
    Files.write(shorter, Arrays.copyOf(trueLabels, IMAGES - 1));
    assertEquals(uri(shorter) + " holds 2999 labels, but the corpus has 3000 images: is it the "
        + "sidecar of another corpus?", labelsRefused(split, shorter).getMessage());
    Path notLabels = work.resolve("bad.labels");
    byte[] bad = trueLabels.clone();
    bad[1234] = 17;
    Files.write(notLabels, bad);
    assertEquals(uri(notLabels) + ": byte 1234 is 17, not a CIFAR-10 label 0-9",
        labelsRefused(split, notLabels).getMessage());
    assertFalse(Files.exists(split.resolve(TableData.BLOCKS_DIR)), "blocks rows written");
    assertFalse(Files.exists(Path.of(notLabels + TableData.LABELS_DIR_SUFFIX)));
    assertEquals(List.of(), rows("SHOW DATABASES LIKE 'refused'"));
  }

  private static IOException labelsRefused(Path split, Path labels) {
    return assertThrows(IOException.class, () -> hiveTool("--classified", tagsA.toString(),
        "--blocks", split.toString(), "--labels", labels.toString(), "--database", "refused",
        "--jdbc", hive.jdbcUrl()));
  }

  @Test
  @Order(2)
  void partitionsFollowTheDirectoriesAndATableFollowsItsClassifyOutput() throws Exception {
    Path copy = work.resolve("tags-sync");
    FileUtils.copyDirectory(tagsB.toFile(), copy.toFile());
    hiveTool("--classified", copy.toString(), "--table", "images_sync", "--view", "tags_sync",
        "--jdbc", hive.jdbcUrl());
    assertEquals(3, rows("SHOW PARTITIONS tinytags.images_sync").size());
    FileUtils.deleteDirectory(copy.resolve(BlockNames.partition(2)).toFile());
    hiveTool("--classified", copy.toString(), "--table", "images_sync", "--view", "tags_sync",
        "--jdbc", hive.jdbcUrl());
    assertEquals(List.of(List.of("block=0"), List.of("block=1")),
        rows("SHOW PARTITIONS tinytags.images_sync"));
    assertEquals(List.of(List.of("2000")), rows("SELECT count(*) FROM tinytags.tags_sync"));
    // Pointed at another classify output: the table moves, its partitions with it.
    hiveTool("--classified", tagsA.toString(), "--table", "images_sync", "--view", "tags_sync",
        "--jdbc", hive.jdbcUrl());
    assertEquals(3, rows("SHOW PARTITIONS tinytags.images_sync").size());
    assertEquals(rows("SELECT count(*), sum(IF(tagged, 1, 0)) FROM tinytags.images"),
        rows("SELECT count(*), sum(IF(tagged, 1, 0)) FROM tinytags.images_sync"));
    assertTrue(rows("DESCRIBE FORMATTED tinytags.images_sync").stream()
        .anyMatch(r -> r.get(0) != null && r.get(0).trim().equals("Location:")
            && r.get(1).trim().equals(uri(tagsA))));
  }

  @Test
  @Order(2)
  void contradictoryFlagsAreUsageErrors() throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> messages = new ArrayList<>();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      for (String[] args : List.of(
          new String[] {"--classified", tagsA.toString(), "--embedded", "--jdbc", "jdbc:x"},
          new String[] {"--embedded"},
          new String[] {"--jdbc", "jdbc:x", "-e", "SELECT 1", "-f", "q.hql"},
          new String[] {"--print", "--embedded", "-e", "SELECT 1"},
          new String[] {"--jdbc", "jdbc:x", "--classified", tagsA.toString(), "--table",
              "my-images"},
          new String[] {"--jdbc", "jdbc:x", "--classified", tagsA.toString(), "--hivevar",
              "database=x"},
          new String[] {"--jdbc", "jdbc:x", "-e", "SELECT 1", "--hivevar", "udf_jar=x"})) {
        err.reset();
        assertEquals(1, ToolRunner.run(new Configuration(), new HiveTool(), args));
        messages.add(err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
      }
    } finally {
      System.setErr(realErr);
    }
    assertEquals(List.of("tinytags hive: give --jdbc <url> or --embedded",
        "tinytags hive: nothing to do: give --classified, -e or -f",
        "tinytags hive: give -e or -f, not both",
        "tinytags hive: --print needs --classified: it prints the tables' DDL",
        "tinytags hive: --table must be a Hive name (letters, digits, _), not 'my-images'",
        "tinytags hive: --hivevar database is set by the command: use --database",
        "tinytags hive: --hivevar udf_jar is set by the command: use --classified, --blocks, "
            + "--labels or --udf-jar"),
        messages);
  }

  @Test
  @Order(2)
  void partitionsThatDisagreeWithTheManifestAreRefused() throws Exception {
    Path partial = work.resolve("tags-partial");
    FileUtils.copyDirectory(tagsB.toFile(), partial.toFile());
    FileUtils.deleteDirectory(partial.resolve(BlockNames.partition(2)).toFile());
    IOException missing = assertThrows(IOException.class, () -> hiveTool("--classified",
        partial.toString(), "--blocks", blocks.toString(), "--database", "refused", "--jdbc",
        hive.jdbcUrl()));
    assertEquals(uri(partial) + " has no partitions for "
        + "blocks [2] of the manifest: classify them (classify --only 2, ...)",
        missing.getMessage());
    FileUtils.copyDirectory(tagsB.resolve(BlockNames.partition(1)).toFile(),
        partial.resolve(BlockNames.partition(7)).toFile());
    FileUtils.copyDirectory(tagsB.resolve(BlockNames.partition(2)).toFile(),
        partial.resolve(BlockNames.partition(2)).toFile());
    IOException extra = assertThrows(IOException.class, () -> hiveTool("--classified",
        partial.toString(), "--blocks", blocks.toString(), "--database", "refused", "--jdbc",
        hive.jdbcUrl()));
    assertTrue(extra.getMessage().endsWith(" has partitions for blocks [7] that the manifest (3"
        + " blocks) does not have: is it a classify output of another corpus?"),
        extra.getMessage());
    assertEquals(List.of(), rows("SHOW DATABASES LIKE 'refused'"));
  }
}
