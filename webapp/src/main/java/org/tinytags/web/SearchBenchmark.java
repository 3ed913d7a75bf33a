package org.tinytags.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.cli.Command;
import org.tinytags.image.CifarClasses;
import org.tinytags.index.IndexJob;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.tinytags.solr.CollectionAdmin;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.ShardMerger;
import org.tinytags.solr.SolrTarget;

/**
 * {@code bench search}: indexes all N images' classify rows (seeded synthetic votes, so no corpus
 * or model is needed; every row, tagged or not, so the index holds N documents), serves them as
 * {@code serve} does, and times varied searches through the JSON API over loopback HTTP, at each
 * {@code --concurrency} level in turn. The index lives in a standalone core started here, in a
 * SolrCloud of two nodes started here ({@code --solrcloud N}: N shards), or in a running
 * SolrCloud ({@code --zk}). Prints the figures and writes them as JSON with {@code --report}.
 */
public class SearchBenchmark extends Command {
  private static final int WARM_UP = 200;
  private static final String BENCH_COLLECTION = "bench";

  @Override
  public String name() {
    return "bench search";
  }

  @Override
  public String summary() {
    return "Benchmark indexing and the search API on N images (docs/s, bytes/image, p50/p99).";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("images", "N", "images to index (default 1,000,000)"))
        .addOption(flag("images-per-block", "N", "images per block (default 10,000)"))
        .addOption(flag("shards", "N", "index shards = reducers (default 2)"))
        .addOption(flag("queries", "N", "timed searches per concurrency level (default 1,000, "
            + "after " + WARM_UP + " untimed)"))
        .addOption(flag("concurrency", "list", "searches in flight at once, one level after "
            + "another, e.g. 1,8,32 (default 1)"))
        .addOption(flag("solrcloud", "N", "index into a SolrCloud of 2 nodes started here, its "
            + "collection of N shards (instead of a standalone core)"))
        .addOption(flag("zk", "host:port[/chroot]", "index into this running SolrCloud's "
            + "--collection (created with --shards if missing)"))
        .addOption(flag("collection", "name", "the collection for --zk (default "
            + BENCH_COLLECTION + ")"))
        .addOption(flag("work", "dir", "keep the rows and index here (default: a temporary "
            + "directory, deleted afterwards)"))
        .addOption(flag("report", "file", "also write the figures to this JSON file"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    long images = positiveLong(line, "images", 1_000_000L);
    long perBlock = positiveLong(line, "images-per-block", 10_000L);
    int queries = (int) positiveLong(line, "queries", 1_000L);
    List<Integer> levels = concurrency(line.getOptionValue("concurrency", "1"));
    if (line.hasOption("solrcloud") && line.hasOption("zk")) {
      throw new UsageException("--solrcloud starts a SolrCloud, --zk names a running one: "
          + "give one");
    }
    long shards = line.hasOption("solrcloud") ? positiveLong(line, "solrcloud", null)
        : positiveLong(line, "shards", 2L);
    boolean keep = line.hasOption("work");
    java.nio.file.Path work = keep ? Files.createDirectories(
        java.nio.file.Path.of(line.getOptionValue("work")))
        : Files.createTempDirectory("tinytags-bench-search-");
    Configuration conf = getConf();
    Path tags = new Path(work.resolve("tags").toUri());
    Path index = new Path(work.resolve("index").toUri());
    FileSystem fs = FileSystem.getLocal(conf);
    Map<String, Object> report = new LinkedHashMap<>();
    BenchCloud cloud = null;
    SolrTarget target = null;
    try {
      fs.delete(tags, true);
      long start = System.nanoTime();
      SyntheticTags.write(conf, tags, images, perBlock, 3072, 100, 0.42, 42);
      System.err.printf("bench search: wrote %,d classify rows in %.1f s%n", images,
          seconds(start));

      List<String> indexArgs = new ArrayList<>(List.of("--classified", tags.toString(),
          "--output", index.toString(), "--min-agreement", "0", "--overwrite"));
      String zk = line.getOptionValue("zk");
      String collection = line.getOptionValue("collection", BENCH_COLLECTION);
      if (line.hasOption("solrcloud")) {
        cloud = BenchCloud.start(work.resolve("solrcloud"), work);
        zk = cloud.zkHost();
      }
      target = zk == null ? null : SolrTarget.cloud(zk, collection);
      if (target != null) {
        System.err.println("bench search: " + CollectionAdmin.create(target, (int) shards, 1));
        indexArgs.addAll(List.of("--zk", zk, "--collection", collection));
      } else {
        indexArgs.addAll(List.of("--shards", String.valueOf(shards)));
      }
      start = System.nanoTime();
      int status = ToolRunner.run(new Configuration(conf), new IndexJob(),
          indexArgs.toArray(new String[0]));
      if (status != 0) {
        return status;
      }
      double indexSeconds = seconds(start);
      IndexManifest manifest = IndexManifest.read(fs, index);
      double perReducer = manifest.shards().stream()
          .mapToDouble(s -> s.documents() / (s.buildMillis() / 1000.0)).average().orElse(0);
      long shardBytes = fs.getContentSummary(index).getLength();

      report.put("images", images);
      report.put("documents", manifest.documents());
      report.put("shards", manifest.shards().size());
      report.put("solr", target == null ? "standalone core" : "SolrCloud collection");
      report.put("indexSeconds", round(indexSeconds));
      report.put("indexDocsPerSecond", Math.round(perReducer));
      if (target != null) {
        start = System.nanoTime();
        new ShardMerger(target, fs, index, manifest, null, System.err).goLive();
        report.put("goLiveSeconds", round(seconds(start)));
      }
      try (ServeCommand.Served served = ServeCommand.start(conf, target == null ? index : null,
          target, null, "127.0.0.1", 0, null)) {
        long coreBytes = indexBytes(served.target());
        report.put("indexBytesPerImage", round((double) coreBytes / manifest.documents()));
        report.put("shardBytesPerImage", round((double) shardBytes / manifest.documents()));
        List<Map<String, Object>> figures = new ArrayList<>();
        for (int level : levels) {
          figures.add(timeQueries(served.pageUrl(), queries, level));
        }
        // The first level's figures also at the top, where reports before --concurrency had them.
        report.putAll(figures.get(0));
        report.put("levels", figures);
      }
    } finally {
      if (target != null) {
        target.close();
      }
      if (cloud != null) {
        cloud.close();
      }
      if (!keep) {
        FileUtil.fullyDelete(work.toFile());
      }
    }
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(report);
    System.out.println(json);
    if (line.hasOption("report")) {
      Files.writeString(java.nio.file.Path.of(line.getOptionValue("report")), json + "\n");
    }
    return 0;
  }

  private static List<Integer> concurrency(String text) throws UsageException {
    List<Integer> levels = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        int level = Integer.parseInt(part.trim());
        if (level < 1 || level > 1024) {
          throw new NumberFormatException();
        }
        levels.add(level);
      } catch (NumberFormatException e) {
        throw new UsageException("--concurrency takes whole numbers 1-1024, e.g. 1,8,32, not '"
            + text + "'");
      }
    }
    return levels;
  }

  /** Bytes of every core's index (each replica of each shard), as Solr reports them. */
  private static long indexBytes(SolrTarget target) throws Exception {
    long bytes = 0;
    for (SolrTarget.Shard shard : target.shards()) {
      for (SolrTarget.Core core : shard.cores()) {
        bytes += ((Number) CoreAdminRequest.getStatus(core.core(), target.node(core.baseUrl()))
            .getCoreStatus(core.core()).findRecursive("index", "sizeInBytes")).longValue();
      }
    }
    return bytes;
  }

  /**
   * Warms up, then times {@code count} varied searches, {@code concurrency} in flight at once
   * (each client thread sends its next search when the last one is answered).
   */
  private static Map<String, Object> timeQueries(String pageUrl, int count, int concurrency)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    SplittableRandom warm = new SplittableRandom(7);
    for (int i = 0; i < WARM_UP; i++) {
      send(http, pageUrl + "api/search?" + randomQuery(warm));
    }
    double[] millis = new double[count];
    int[] statusOf = new int[count];
    List<String> examples = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    String[] queries = new String[count];
    for (int i = 0; i < count; i++) {
      queries[i] = randomQuery(random);
      if (examples.size() < 3) {
        examples.add("/api/search?" + queries[i]);
      }
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        running.add(clients.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            long t = System.nanoTime();
            statusOf[i] = send(http, pageUrl + "api/search?" + queries[i]);
            millis[i] = (System.nanoTime() - t) / 1e6;
          }
          return null;
        }));
      }
      for (Future<?> client : running) {
        client.get();
      }
    } finally {
      clients.shutdownNow();
    }
    double wall = seconds(start);
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int status : statusOf) {
      statuses.merge(status, 1, Integer::sum);
    }
    Arrays.sort(millis);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("concurrency", concurrency);
    figures.put("queries", count);
    figures.put("p50Millis", round(percentile(millis, 0.50)));
    figures.put("p99Millis", round(percentile(millis, 0.99)));
    figures.put("maxMillis", round(millis[count - 1]));
    figures.put("meanMillis", round(Arrays.stream(millis).average().orElse(0)));
    figures.put("queriesPerSecond", Math.round(count / wall));
    figures.put("statuses", statuses);
    figures.put("exampleQueries", examples);
    System.err.printf("bench search: concurrency %d: %,d searches, p50 %.2f ms, p99 %.2f ms, "
        + "%,d/s%n", concurrency, count, percentile(millis, 0.50), percentile(millis, 0.99),
        Math.round(count / wall));
    return figures;
  }

  /** 0-3 tags, an agreement range inside 40-100 and one of the first three pages. */
  private static String randomQuery(SplittableRandom random) {
    List<String> tags = new ArrayList<>();
    int wanted = random.nextInt(4);
    while (tags.size() < wanted) {
      String tag = CifarClasses.name(random.nextInt(CifarClasses.COUNT));
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    int min = 40 + random.nextInt(50);
    int max = min + random.nextInt(101 - min);
    return (tags.isEmpty() ? "" : "tags=" + String.join(",", tags) + "&") + "min=" + min
        + "&max=" + max + "&page=" + (1 + random.nextInt(3));
  }

  private static int send(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode();
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new SearchBenchmark(), args));
  }
}
