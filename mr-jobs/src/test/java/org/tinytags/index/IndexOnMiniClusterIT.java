package org.tinytags.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tinytags.benchmark.SyntheticTags;
import org.tinytags.classify.TagRows;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;
import org.tinytags.testing.MiniHadoopCluster;
import org.tinytags.solr.IndexManifest;

/**
 * The index job on YARN with the real job jar: Solr cores inside the reducers' containers,
 * shards published in HDFS, read back here with Lucene. (Going live needs a Solr server, whose
 * Jetty 10 cannot share this JVM with the mini clusters' Jetty 9.4; GoLiveTest and the web app's
 * tests cover it.)
 */
class IndexOnMiniClusterIT {
  @RegisterExtension
  static final MiniHadoopCluster CLUSTER = new MiniHadoopCluster();

  @Test
  void reducersBuildShardsInHdfs() throws Exception {
    Configuration conf = CLUSTER.conf();
    FileSystem fs = CLUSTER.fs();
    Path tags = new Path("/tags/synthetic");
    SyntheticTags.write(conf, tags, 1_500, 500, 3072, 40, 0.42, 3);
    List<TagRows.Row> rows = TagRows.read(fs, tags);
    Path index = new Path("/index/synthetic");
    Run run = LocalHadoop.tinytags(conf, "index", "--classified", tags.toString(), "--output",
        index.toString(), "--shards", "2");
    assertEquals(0, run.status(), run.err());

    long tagged = rows.stream().filter(TagRows.Row::tagged).count();
    IndexManifest manifest = IndexManifest.read(fs, index);
    assertEquals(tagged, manifest.documents());
    java.nio.file.Path local = Files.createTempDirectory("it-shards");
    long documents = 0;
    for (IndexManifest.Shard shard : manifest.shards()) {
      fs.copyToLocalFile(false, new Path(index, shard.dir()),
          new Path(local.resolve(shard.dir()).toUri()), true);
      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(
          local.resolve(shard.dir())))) {
        assertEquals(shard.documents(), reader.numDocs());
        documents += reader.numDocs();
      }
    }
    assertEquals(tagged, documents);
  }
}
