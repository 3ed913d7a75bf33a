package org.tinytags.split;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.tinytags.image.ImageLayout;
import org.tinytags.io.ImageFileSplit;
import org.tinytags.io.ImageFiles;
import org.tinytags.io.ImageInputFormat;
import org.tinytags.io.ImageRecordReader;

/**
 * Splits the input at block boundaries, so that every mapper reads whole blocks and can write
 * each block file from start to end on its own. Small blocks are grouped into one split of about
 * {@link #setTargetSplitBytes target} bytes so that the task count stays sensible.
 */
public class BlockInputFormat extends ImageInputFormat {
  private static final String IMAGES_PER_BLOCK = "tinytags.split.images-per-block";
  private static final String TARGET_SPLIT_BYTES = "tinytags.split.target-split-bytes";
  private static final long DEFAULT_TARGET_SPLIT_BYTES = 128L << 20;

  public static void setImagesPerBlock(Configuration conf, long images) {
    conf.setLong(IMAGES_PER_BLOCK, images);
  }

  public static long getImagesPerBlock(Configuration conf) {
    long images = conf.getLong(IMAGES_PER_BLOCK, 0);
    if (images <= 0) {
      throw new IllegalArgumentException(IMAGES_PER_BLOCK + " must be > 0, is " + images);
    }
    return images;
  }

  public static void setTargetSplitBytes(Configuration conf, long bytes) {
    conf.setLong(TARGET_SPLIT_BYTES, bytes);
  }

  public static long getTargetSplitBytes(Configuration conf) {
    return conf.getLong(TARGET_SPLIT_BYTES, DEFAULT_TARGET_SPLIT_BYTES);
  }

  /** Indexes the input and checks its images are numbered 0..n-1 with no gap. */
  @Override
  public ImageFiles indexInput(JobContext job) throws IOException {
    ImageFiles files = super.indexInput(job);
    long next = 0;
    for (ImageFiles.ImageFile file : files.files()) {
      if (file.firstImage() != next) {
        throw new IOException(file.path() + " starts at image " + file.firstImage()
            + " but the input before it ends at image " + next
            + ": split needs a gap-free input");
      }
      next += file.images();
    }
    return files;
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    Configuration conf = job.getConfiguration();
    ImageFiles files = indexInput(job);
    long recordBytes = files.layout().recordBytes();
    long imagesPerBlock = getImagesPerBlock(conf);
    long blocks = (files.images() + imagesPerBlock - 1) / imagesPerBlock;
    long blocksPerSplit = Math.max(1, getTargetSplitBytes(conf) / (imagesPerBlock * recordBytes));

    List<InputSplit> splits = new ArrayList<>();
    for (long block = 0; block < blocks; block += blocksPerSplit) {
      int count = (int) Math.min(blocksPerSplit, blocks - block);
      long first = block * imagesPerBlock;
      long end = Math.min(files.images(), (block + count) * imagesPerBlock);
      List<ImageFileSplit> segments = new ArrayList<>();
      String[] hosts = new String[0];
      long hostBytes = -1;
      for (ImageFiles.ImageFile file : files.files()) {
        long from = Math.max(first, file.firstImage());
        long to = Math.min(end, file.firstImage() + file.images());
        if (from >= to) {
          continue;
        }
        long start = (from - file.firstImage()) * recordBytes;
        long length = (to - from) * recordBytes;
        // Schedule the mapper near the largest range it reads.
        if (length > hostBytes) {
          hostBytes = length;
          hosts = hostsOf(file, start, length, conf);
        }
        segments.add(new ImageFileSplit(file.path(), start, length, new String[0],
            file.firstImage()));
      }
      splits.add(new BlockSplit((int) block, count, segments, hosts));
    }
    return splits;
  }

  private static String[] hostsOf(ImageFiles.ImageFile file, long start, long length,
      Configuration conf) throws IOException {
    FileSystem fs = file.path().getFileSystem(conf);
    BlockLocation[] locations = fs.getFileBlockLocations(file.status(), start, length);
    return locations.length == 0 ? new String[0] : locations[0].getHosts();
  }

  @Override
  public RecordReader<LongWritable, BytesWritable> createRecordReader(InputSplit split,
      TaskAttemptContext context) {
    return new Reader(getLayout(context.getConfiguration()));
  }

  /** Reads a {@link BlockSplit}'s ranges one after the other. */
  static class Reader extends RecordReader<LongWritable, BytesWritable> {
    private final ImageLayout layout;
    private TaskAttemptContext context;
    private List<ImageFileSplit> segments;
    private int segment = -1;
    private ImageRecordReader current;
    private long bytesDone;
    private long bytesTotal;

    Reader(ImageLayout layout) {
      this.layout = layout;
    }

    @Override
    public void initialize(InputSplit split, TaskAttemptContext context) {
      this.context = context;
      this.segments = ((BlockSplit) split).getSegments();
      this.bytesTotal = ((BlockSplit) split).getLength();
    }

    @Override
    public boolean nextKeyValue() throws IOException, InterruptedException {
      while (current == null || !current.nextKeyValue()) {
        if (current != null) {
          bytesDone += segments.get(segment).getLength();
          current.close();
          current = null;
        }
        if (++segment >= segments.size()) {
          return false;
        }
        current = new ImageRecordReader(layout);
        current.initialize(segments.get(segment), context);
      }
      return true;
    }

    @Override
    public LongWritable getCurrentKey() {
      return current.getCurrentKey();
    }

    @Override
    public BytesWritable getCurrentValue() {
      return current.getCurrentValue();
    }

    @Override
    public float getProgress() throws IOException {
      if (bytesTotal == 0) {
        return 1f;
      }
      long inSegment = current == null ? 0
          : (long) (current.getProgress() * segments.get(segment).getLength());
      return Math.min(1f, (bytesDone + inSegment) / (float) bytesTotal);
    }

    @Override
    public void close() throws IOException {
      if (current != null) {
        current.close();
      }
    }
  }
}
