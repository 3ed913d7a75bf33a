package org.tinytags.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.FixedLengthInputFormat;
import org.tinytags.image.ImageLayout;

/**
 * Reads image records: key = global image index (not the byte offset), value = the raw record.
 * Files are checked when the splits are computed, so a truncated file fails the job before it
 * runs, naming the file, its length and the record size.
 */
public class ImageInputFormat extends FixedLengthInputFormat {
  private static final String LAYOUT = "tinytags.input.layout";

  /** Sets the layout, and with it the record length the parent class reads by. */
  public static void setLayout(Configuration conf, ImageLayout layout) {
    conf.set(LAYOUT, layout.id());
    setRecordLength(conf, layout.recordBytes());
  }

  public static ImageLayout getLayout(Configuration conf) {
    String id = conf.get(LAYOUT);
    if (id == null) {
      throw new IllegalStateException("no image layout set: call ImageInputFormat.setLayout");
    }
    return ImageLayout.of(id);
  }

  /** Lists, checks and indexes the job's input files. */
  public ImageFiles indexInput(JobContext job) throws IOException {
    return ImageFiles.index(listStatus(job), getLayout(job.getConfiguration()),
        job.getConfiguration());
  }

  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    ImageFiles files = indexInput(job);
    List<InputSplit> splits = new ArrayList<>();
    for (InputSplit split : super.getSplits(job)) {
      FileSplit fileSplit = (FileSplit) split;
      splits.add(new ImageFileSplit(fileSplit.getPath(), fileSplit.getStart(),
          fileSplit.getLength(), fileSplit.getLocations(),
          files.file(fileSplit.getPath()).firstImage()));
    }
    return splits;
  }

  @Override
  public RecordReader<LongWritable, BytesWritable> createRecordReader(InputSplit split,
      TaskAttemptContext context) {
    return new ImageRecordReader(getLayout(context.getConfiguration()));
  }
}
