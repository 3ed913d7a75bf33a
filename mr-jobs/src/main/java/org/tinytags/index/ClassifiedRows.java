package org.tinytags.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcInputFormat;
import org.tinytags.classify.BlockSelection;
import org.tinytags.io.BlockNames;
import org.tinytags.io.HostedFiles;

/**
 * index's input: the ORC files of some blocks of a classify output, planned from one recursive
 * listing. The job's configuration names the output and the blocks ({@code 0-26434}), not each
 * partition: FileInputFormat would glob every one of 26,000 input paths and carry all of them in
 * every task's job.xml. One split per file: a block's rows are one small file.
 */
public class ClassifiedRows extends OrcInputFormat<OrcStruct> {
  private static final String DIR = "tinytags.index.classified-dir";
  private static final String SELECTION = "tinytags.index.blocks";

  public static void setBlocks(Configuration conf, Path classified, List<Integer> blocks) {
    conf.set(DIR, classified.toString());
    conf.set(SELECTION, BlockSelection.format(blocks));
  }

  /** The {@code block=NNNNN} partition directories of a classify output, by block number. */
  public static TreeMap<Integer, Path> partitions(FileSystem fs, Path classified)
      throws IOException {
    TreeMap<Integer, Path> partitions = new TreeMap<>();
    for (FileStatus status : fs.listStatus(classified)) {
      int block = BlockNames.partitionBlock(status.getPath().getName());
      if (status.isDirectory() && block >= 0) {
        partitions.put(block, status.getPath());
      }
    }
    return partitions;
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    Configuration conf = job.getConfiguration();
    Path dir = new Path(conf.get(DIR));
    FileSystem fs = dir.getFileSystem(conf);
    Path root = fs.makeQualified(dir);
    Set<Integer> blocks = new HashSet<>(BlockSelection.parse(conf.get(SELECTION),
        Integer.MAX_VALUE));
    List<InputSplit> splits = new ArrayList<>();
    for (HostedFiles.HostedFile file : HostedFiles.list(fs, root, true)) {
      Path path = file.path();
      String name = path.getName();
      if (!name.endsWith(".orc") || name.startsWith(".") || name.startsWith("_")
          // Partitions of the output itself, not of classify's _staging.
          || !root.equals(path.getParent().getParent())
          || !blocks.contains(BlockNames.partitionBlock(path.getParent().getName()))
          || file.length() == 0) {
        continue;
      }
      splits.add(new FileSplit(path, 0, file.length(), file.hosts()));
    }
    splits.sort(java.util.Comparator.comparing(s -> ((FileSplit) s).getPath()));
    return splits;
  }
}
