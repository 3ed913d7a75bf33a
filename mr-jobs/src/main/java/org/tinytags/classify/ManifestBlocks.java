package org.tinytags.classify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.tinytags.io.BlockManifest;
import org.tinytags.io.HostedFiles;
import org.tinytags.io.ImageFileSplit;
import org.tinytags.io.ImageInputFormat;

/**
 * classify's input, planned from the split's manifest: one whole block file per split. The job's
 * configuration names the split directory and the blocks ({@code 0-26434}, as {@link
 * BlockSelection} writes them), not every file, so job.xml stays small at any corpus size; one
 * listing of the directory (with block locations, batched by the file system) finds every file,
 * checks its length against the manifest and places each mapper beside its block's data.
 */
public class ManifestBlocks extends ImageInputFormat {
  private static final String DIR = "tinytags.classify.blocks-dir";
  private static final String SELECTION = "tinytags.classify.blocks";

  public static void setBlocks(Configuration conf, Path blocksDir, List<Integer> blocks) {
    conf.set(DIR, blocksDir.toString());
    conf.set(SELECTION, BlockSelection.format(blocks));
  }

  /**
   * The files of {@code blocks}, by block, each checked against the manifest: a missing or
   * truncated one fails, naming the block.
   */
  public static Map<Integer, HostedFiles.HostedFile> locate(FileSystem fs, Path blocksDir,
      BlockManifest manifest, List<Integer> blocks) throws IOException {
    Map<String, HostedFiles.HostedFile> byName = new HashMap<>();
    for (HostedFiles.HostedFile file : HostedFiles.list(fs, blocksDir, false)) {
      byName.put(file.path().getName(), file);
    }
    Map<Integer, HostedFiles.HostedFile> located = new HashMap<>();
    for (int number : blocks) {
      BlockManifest.Block block = manifest.block(number);
      HostedFiles.HostedFile file = byName.get(block.file());
      if (file == null) {
        throw new IOException("block " + number + " (" + block.file() + ") is missing from "
            + blocksDir);
      }
      if (file.length() != block.bytes()) {
        throw new IOException("block " + number + " (" + block.file() + ") in " + blocksDir
            + " holds " + file.length() + " bytes, the manifest says " + block.bytes()
            + ": restore it or split the corpus again");
      }
      located.put(number, file);
    }
    return located;
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    Configuration conf = job.getConfiguration();
    Path dir = new Path(conf.get(DIR));
    FileSystem fs = dir.getFileSystem(conf);
    BlockManifest manifest = BlockManifest.read(fs, dir);
    List<Integer> blocks = BlockSelection.parse(conf.get(SELECTION), manifest.blocks().size());
    Map<Integer, HostedFiles.HostedFile> files = locate(fs, dir, manifest, blocks);
    List<InputSplit> splits = new ArrayList<>(blocks.size());
    for (int number : blocks) {
      HostedFiles.HostedFile file = files.get(number);
      splits.add(new ImageFileSplit(file.path(), 0, file.length(), file.hosts(),
          manifest.block(number).firstImage()));
    }
    return splits;
  }
}
