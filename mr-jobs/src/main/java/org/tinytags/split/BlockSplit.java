package org.tinytags.split;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.tinytags.io.ImageFileSplit;

/**
 * Whole consecutive blocks of the corpus, as byte ranges of one or more input files (a block may
 * straddle two input files). One mapper writes every block of its split.
 */
public class BlockSplit extends InputSplit implements Writable {
  private int firstBlock;
  private int blocks;
  private List<ImageFileSplit> segments = new ArrayList<>();
  private String[] hosts = new String[0];

  /** For Writable deserialisation only. */
  public BlockSplit() {}

  BlockSplit(int firstBlock, int blocks, List<ImageFileSplit> segments, String[] hosts) {
    this.firstBlock = firstBlock;
    this.blocks = blocks;
    this.segments = segments;
    this.hosts = hosts;
  }

  public int getFirstBlock() {
    return firstBlock;
  }

  public int getBlocks() {
    return blocks;
  }

  /** The byte ranges to read, in image order. */
  public List<ImageFileSplit> getSegments() {
    return segments;
  }

  @Override
  public long getLength() {
    return segments.stream().mapToLong(ImageFileSplit::getLength).sum();
  }

  @Override
  public String[] getLocations() {
    return hosts;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeInt(firstBlock);
    out.writeInt(blocks);
    out.writeInt(segments.size());
    for (ImageFileSplit segment : segments) {
      segment.write(out);
    }
    out.writeInt(hosts.length);
    for (String host : hosts) {
      Text.writeString(out, host);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    firstBlock = in.readInt();
    blocks = in.readInt();
    int count = in.readInt();
    segments = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ImageFileSplit segment = new ImageFileSplit();
      segment.readFields(in);
      segments.add(segment);
    }
    hosts = new String[in.readInt()];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = Text.readString(in);
    }
  }

  @Override
  public String toString() {
    return "blocks " + firstBlock + ".." + (firstBlock + blocks - 1) + " " + segments;
  }
}
