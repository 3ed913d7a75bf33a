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
import org.tinytags.index.IndexManifest;
import org.tinytags.index.SolrHome;

/**
 * {@code bench search}: indexes all N images' classify rows (seeded synthetic votes, so no corpus
 * or model is needed; every row, tagged or not, so the index holds N documents), serves them as
 * {@code serve} does, and times varied searches through the
 * JSON API over loopback HTTP. Prints the figures and writes them as JSON with {@code --report}.
 */
public class SearchBenchmark extends Command {
  private static final int WARM_UP = 200;

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
        .addOption(flag("queries", "N", "timed searches (default 1,000, after "
            + WARM_UP + " untimed)"))
        .addOption(flag("work", "dir", "keep the rows and index here (default: a temporary "
            + "directory, deleted afterwards)"))
        .addOption(flag("report", "file", "also write the figures to this JSON file"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    long images = positiveLong(line, "images", 1_000_000L);
    long perBlock = positiveLong(line, "images-per-block", 10_000L);
    long shards = positiveLong(line, "shards", 2L);
    int queries = (int) positiveLong(line, "queries", 1_000L);
    boolean keep = line.hasOption("work");
    java.nio.file.Path work = keep ? Files.createDirectories(
        java.nio.file.Path.of(line.getOptionValue("work")))
        : Files.createTempDirectory("tinytags-bench-search-");
    Configuration conf = getConf();
    Path tags = new Path(work.resolve("tags").toUri());
    Path index = new Path(work.resolve("index").toUri());
    FileSystem fs = FileSystem.getLocal(conf);
    Map<String, Object> report = new LinkedHashMap<>();
    try {
      fs.delete(tags, true);
      long start = System.nanoTime();
      SyntheticTags.write(conf, tags, images, perBlock, 3072, 100, 0.42, 42);
      System.err.printf("bench search: wrote %,d classify rows in %.1f s%n", images,
          seconds(start));

      start = System.nanoTime();
      int status = ToolRunner.run(new Configuration(conf), new IndexJob(), new String[] {
          "--classified", tags.toString(), "--output", index.toString(), "--shards",
          String.valueOf(shards), "--min-agreement", "0", "--overwrite"});
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
      report.put("indexSeconds", round(indexSeconds));
      report.put("indexDocsPerSecond", Math.round(perReducer));
      try (ServeCommand.Served served = ServeCommand.start(conf, index, null, SolrHome.CORE,
          null, "127.0.0.1", 0, null)) {
        long coreBytes = served.localSolr().indexBytes();
        report.put("indexBytesPerImage", round((double) coreBytes / manifest.documents()));
        report.put("shardBytesPerImage", round((double) shardBytes / manifest.documents()));
        report.putAll(timeQueries(served.pageUrl(), queries));
      }
    } finally {
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

  /** Warms up, then times {@code count} varied searches one after another. */
  private static Map<String, Object> timeQueries(String pageUrl, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < WARM_UP; i++) {
      send(http, pageUrl + "api/search?" + randomQuery(random));
    }
    double[] millis = new double[count];
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String query = randomQuery(random);
      if (examples.size() < 3) {
        examples.add("/api/search?" + query);
      }
      long t = System.nanoTime();
      int status = send(http, pageUrl + "api/search?" + query);
      millis[i] = (System.nanoTime() - t) / 1e6;
      statuses.merge(status, 1, Integer::sum);
    }
    double wall = seconds(start);
    Arrays.sort(millis);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("queries", count);
    figures.put("p50Millis", round(percentile(millis, 0.50)));
    figures.put("p99Millis", round(percentile(millis, 0.99)));
    figures.put("maxMillis", round(millis[count - 1]));
    figures.put("meanMillis", round(Arrays.stream(millis).average().orElse(0)));
    figures.put("queriesPerSecond", Math.round(count / wall));
    figures.put("statuses", statuses);
    figures.put("exampleQueries", examples);
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
