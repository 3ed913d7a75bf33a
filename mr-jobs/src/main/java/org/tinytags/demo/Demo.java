package org.tinytags.demo;

import java.nio.file.Files;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.TinyTags;
import org.tinytags.cli.Command;
import org.tinytags.cli.HiveLauncher;
import org.tinytags.classify.ClassifyJob;
import org.tinytags.data.FetchCifar;
import org.tinytags.evaluate.EvaluateJob;
import org.tinytags.index.IndexJob;
import org.tinytags.data.MakeCorpus;
import org.tinytags.split.SplitJob;
import org.tinytags.train.TrainJob;

/**
 * {@code demo}: the whole chain on the embedded default (local job runner, local files, a Solr
 * started in-process, an embedded Hive) in one work directory, one progress line per stage,
 * ending in the search page. Every stage's output is replaced on each run, so a
 * rerun starts clean and gives the same result.
 */
public class Demo extends Command {
  private static final String CIFAR_ENV = "TINYTAGS_CIFAR_DIR";
  /** Fewer trees than a production model, so the demo's training takes about a minute. */
  private static final long DEMO_TREES = 30;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Run the whole chain locally (make-corpus ... index, hive) and serve the search page.";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("cifar", "dir", "CIFAR-10 binary batches (default $" + CIFAR_ENV
            + ", else fetched into <work>/cifar-10)"))
        .addOption(flag("images", "N", "images in the demo corpus (default 10000)"))
        .addOption(flag("images-per-block", "N", "images per block (default 3000)"))
        .addOption(flag("trees", "N", "trees in the demo forest (default " + DEMO_TREES + ")"))
        .addOption(flag("train-images", "N", "train on the first N CIFAR-10 training images "
            + "(default all 50,000)"))
        .addOption(flag("work", "dir", "work directory (default ./work)"))
        .addOption(flag("port", "N", "port of the search page (default 8080)"))
        .addOption(toggle("no-hive", "skip the Hive tables (their stage needs bin/tinytags)"))
        .addOption(toggle("no-serve", "stop after indexing instead of serving the page"));
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    long images = positiveLong(line, "images", 10_000L);
    long perBlock = positiveLong(line, "images-per-block", 3_000L);
    long trees = positiveLong(line, "trees", DEMO_TREES);
    long trainImages = positiveLong(line, "train-images", 50_000L);
    java.nio.file.Path work =
        java.nio.file.Path.of(line.getOptionValue("work", "work")).toAbsolutePath();
    Files.createDirectories(work);
    String cifar = line.getOptionValue("cifar", System.getenv(CIFAR_ENV));
    boolean serve = !line.hasOption("no-serve");
    Command server = serve ? TinyTags.command("serve") : null;
    if (serve && server == null) {
      throw new UsageException("serve is not on the class path (the job jar has no web app): "
          + "run the demo with bin/tinytags, or pass --no-serve");
    }
    boolean hive = !line.hasOption("no-hive");
    if (hive && !HiveLauncher.available()) {
      throw new UsageException("the Hive stage runs with bin/tinytags (it needs the hive "
          + "module); pass --no-hive to skip it");
    }
    String port = String.valueOf(longFlag(line, "port", 8080));
    int stages = (cifar == null ? 9 : 8) - (serve ? 0 : 1) - (hive ? 0 : 1);
    int stage = 0;
    if (cifar == null) {
      cifar = work.resolve("cifar-10").toString();
      stage(++stage, stages, "fetch-cifar", new FetchCifar(), "--dir", cifar);
    }
    String corpus = work.resolve("corpus.bin").toString();
    stage(++stage, stages, "make-corpus", new MakeCorpus(), "--cifar", cifar, "--images",
        String.valueOf(images), "--layout", "tiny", "--output", corpus, "--overwrite");
    String blocks = work.resolve("blocks").toString();
    stage(++stage, stages, "split", new SplitJob(), "--input", corpus, "--layout", "tiny",
        "--images-per-block", String.valueOf(perBlock), "--output", blocks, "--overwrite");
    String model = work.resolve("model").toString();
    stage(++stage, stages, "train", new TrainJob(), "--cifar", cifar, "--output", model,
        "--trees", String.valueOf(trees), "--images", String.valueOf(trainImages),
        "--overwrite");
    stage(++stage, stages, "evaluate", new EvaluateJob(), "--model", model, "--cifar", cifar);
    String tags = work.resolve("tags").toString();
    stage(++stage, stages, "classify", new ClassifyJob(), "--model", model, "--blocks", blocks,
        "--output", tags, "--overwrite");
    String index = work.resolve("index").toString();
    stage(++stage, stages, "index", new IndexJob(), "--classified", tags, "--output", index,
        "--overwrite");
    String metastore = work.resolve("hive").toString();
    if (hive) {
      List<String> args = List.of("--classified", tags, "--blocks", blocks, "--labels",
          corpus + MakeCorpus.LABELS_SUFFIX, "--embedded", "--metastore", metastore);
      System.out.printf("demo: [%d/%d] hive %s%n", ++stage, stages, String.join(" ", args));
      long start = System.nanoTime();
      int status = HiveLauncher.run(args);
      if (status != 0) {
        throw new IllegalStateException("stage hive failed (exit " + status + ")");
      }
      System.out.printf("demo: [%d/%d] hive done in %.1f s%n", stage, stages,
          (System.nanoTime() - start) / 1e9);
    }
    System.out.println("demo: blocks in " + blocks + ", model in " + model + " (report: "
        + work.resolve("model").resolve(EvaluateJob.HTML_FILE) + "), tagged rows (ORC, by "
        + "block) in " + tags + ", Solr shards in " + index);
    if (hive) {
      System.out.println("demo: SQL over the tags: bin/tinytags hive --embedded --metastore "
          + metastore + " -e \"SELECT tag, count(*) AS images FROM tags WHERE tagged "
          + "GROUP BY tag ORDER BY images DESC\"");
    }
    if (serve) {
      System.out.printf("demo: [%d/%d] serve --index %s --blocks %s --port %s%n", ++stage,
          stages, index, blocks, port);
      return ToolRunner.run(new Configuration(getConf()), server,
          new String[] {"--index", index, "--blocks", blocks, "--port", port});
    }
    return 0;
  }

  private void stage(int number, int of, String name, Tool tool, String... args)
      throws Exception {
    System.out.printf("demo: [%d/%d] %s %s%n", number, of, name, String.join(" ", args));
    long start = System.nanoTime();
    int status = ToolRunner.run(new Configuration(getConf()), tool, args);
    if (status != 0) {
      throw new IllegalStateException("stage " + name + " failed (exit " + status + ")");
    }
    System.out.printf("demo: [%d/%d] %s done in %.1f s%n", number, of, name,
        (System.nanoTime() - start) / 1e9);
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Configuration(), new Demo(), args));
  }
}
