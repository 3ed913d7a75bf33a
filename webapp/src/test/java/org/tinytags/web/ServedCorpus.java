package org.tinytags.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.classify.TagRows;
import org.tinytags.solr.SolrHome;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.TestCifar;

/**
 * What the web tests search: 1,200 real CIFAR-10 test images split into 3 blocks (tiny layout),
 * classify-shaped rows with seeded votes, an index of them live in a real Solr, and the web app
 * in front. Built once per test JVM and shared by the test classes.
 */
final class ServedCorpus {
  static final int IMAGES = 1_200;
  static final int PER_BLOCK = 400;
  private static ServedCorpus instance;

  final Path dir;
  final Path blocks;
  final Path classified;
  final List<TagRows.Row> rows;
  final ServeCommand.Served served;

  private ServedCorpus() throws Exception {
    dir = Files.createTempDirectory("tinytags-web-test-");
    Path corpus = dir.resolve("corpus.bin");
    blocks = dir.resolve("blocks");
    classified = dir.resolve("tags");
    Path index = dir.resolve("index");
    check(LocalHadoop.tinytags("make-corpus", "--cifar", TestCifar.dir().toString(), "--images",
        String.valueOf(IMAGES), "--layout", "tiny", "--variation", "none", "--output",
        corpus.toString()));
    check(LocalHadoop.tinytags("split", "--input", corpus.toString(), "--layout", "tiny",
        "--images-per-block", String.valueOf(PER_BLOCK), "--output", blocks.toString()));
    Configuration conf = LocalHadoop.conf();
    org.apache.hadoop.fs.Path rowsDir = new org.apache.hadoop.fs.Path(classified.toUri());
    SyntheticTags.write(conf, rowsDir, IMAGES, PER_BLOCK, 3072, 100, 0.42, 5);
    rows = TagRows.read(FileSystem.getLocal(conf), rowsDir);
    check(LocalHadoop.tinytags("index", "--classified", classified.toString(), "--output",
        index.toString(), "--shards", "2"));
    // The served Solr may merge shards from anywhere under dir/ (the tests' reindex work
    // directories); on its own, serve allows only the index it loads.
    System.setProperty("solr.allowPaths", dir.toString());
    try {
      served = ServeCommand.start(conf, new org.apache.hadoop.fs.Path(index.toUri()), null,
          new org.apache.hadoop.fs.Path(blocks.toUri()), "127.0.0.1", 0, null);
    } finally {
      System.clearProperty("solr.allowPaths");
    }
  }

  private static void check(LocalHadoop.Run run) {
    if (run.status() != 0) {
      throw new IllegalStateException("setting up the served corpus failed: " + run.err());
    }
  }

  static synchronized ServedCorpus get() {
    if (instance == null) {
      try {
        instance = new ServedCorpus();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          instance.served.close();
        } catch (Exception e) {
          // The JVM is going away.
        }
        FileUtil.fullyDelete(instance.dir.toFile());
      }));
    }
    return instance;
  }

  String pageUrl() {
    return served.pageUrl();
  }

  /** Tagged rows of the given tags (all if empty) with agreement in [min, max] percent. */
  List<TagRows.Row> matching(List<String> tags, int min, int max) {
    return rows.stream().filter(TagRows.Row::tagged)
        .filter(r -> tags.isEmpty()
            || tags.contains(org.tinytags.image.CifarClasses.name(r.label())))
        .filter(r -> {
          int agreement = (int) (100L * r.votes() / r.trees());
          return agreement >= min && agreement <= max;
        }).toList();
  }
}
