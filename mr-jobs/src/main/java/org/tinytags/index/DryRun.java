package org.tinytags.index;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcMapreduceRecordReader;
import org.apache.solr.common.SolrInputDocument;
import org.tinytags.solr.DocumentLineage;
import org.tinytags.solr.IndexManifest;
import org.tinytags.solr.ShardRouting;

/**
 * {@code index --dry-run}: the first documents the job would index, read in this process from
 * the first blocks' ORC files, each as one JSON line after the shard it would go to. Nothing is
 * built and no job runs.
 */
final class DryRun {
  static final int DOCUMENTS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DryRun() {}

  static void print(Configuration conf, TreeMap<Integer, Path> partitions, List<Integer> blocks,
      Double threshold, DocumentLineage lineage, ShardRouting routing, int shards,
      PrintStream out) throws IOException {
    int printed = 0;
    TaggedImage image = new TaggedImage();
    IndexJob.BlockPartitioner blockPartitioner = new IndexJob.BlockPartitioner();
    for (int block : blocks) {
      Path partition = partitions.get(block);
      FileSystem fs = partition.getFileSystem(conf);
      List<FileStatus> files = new ArrayList<>(List.of(fs.listStatus(partition,
          p -> p.getName().endsWith(".orc"))));
      files.sort((a, b) -> a.getPath().compareTo(b.getPath()));
      for (FileStatus file : files) {
        try (Reader reader = OrcFile.createReader(file.getPath(), OrcFile.readerOptions(conf));
            OrcMapreduceRecordReader<OrcStruct> rows =
                new OrcMapreduceRecordReader<>(reader, reader.options())) {
          while (printed < DOCUMENTS && rows.nextKeyValue()) {
            OrcStruct row = rows.getCurrentValue();
            if (!IndexJob.keeps(row, threshold == null ? -1 : threshold)) {
              continue;
            }
            image.set(row);
            SolrInputDocument doc = image.toDocument();
            lineage.addTo(doc, image.block());
            // The job's own partitioners decide, as they would for the real run.
            int shard = routing != null ? routing.shardOf(Long.toString(image.imageId()))
                : blockPartitioner.getPartition(null, image, shards);
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String name : doc.getFieldNames()) {
              fields.put(name, doc.getFieldValue(name));
            }
            out.println(IndexManifest.shardDirName(shard) + " " + JSON.writeValueAsString(fields));
            printed++;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted reading " + file.getPath(), e);
        }
        if (printed == DOCUMENTS) {
          return;
        }
      }
    }
  }
}
