package org.tinytags.io;

import java.io.IOException;

import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FixedLengthRecordReader;
import org.tinytags.image.CifarClasses;
import org.tinytags.image.ImageLayout;

/**
 * Reads the records of an {@link ImageFileSplit}: key = global image index, value = the raw
 * record in its on-disk layout. A labeled record whose label is not a CIFAR-10 class fails the
 * task with the file and record index, since a wrong label would silently poison training.
 */
public class ImageRecordReader extends RecordReader<LongWritable, BytesWritable> {
  private final ImageLayout layout;
  private final FixedLengthRecordReader bytes;
  private final LongWritable key = new LongWritable();
  private ImageFileSplit split;
  private Counter recordsRead;

  public ImageRecordReader(ImageLayout layout) {
    this.layout = layout;
    this.bytes = new FixedLengthRecordReader(layout.recordBytes());
  }

  @Override
  public void initialize(InputSplit genericSplit, TaskAttemptContext context) throws IOException {
    split = (ImageFileSplit) genericSplit;
    recordsRead = context.getCounter(ImageCounters.RECORDS_READ);
    bytes.initialize(split, context);
  }

  @Override
  public boolean nextKeyValue() throws IOException {
    if (!bytes.nextKeyValue()) {
      return false;
    }
    long offset = bytes.getCurrentKey().get();
    long indexInFile = offset / layout.recordBytes();
    if (layout.hasLabel()) {
      CifarClasses.checkLabel(layout.label(bytes.getCurrentValue().getBytes(), 0),
          split.getPath(), indexInFile, offset);
    }
    key.set(split.getFileFirstImage() + indexInFile);
    recordsRead.increment(1);
    return true;
  }

  @Override
  public LongWritable getCurrentKey() {
    return key;
  }

  @Override
  public BytesWritable getCurrentValue() {
    return bytes.getCurrentValue();
  }

  @Override
  public float getProgress() throws IOException {
    return bytes.getProgress();
  }

  @Override
  public void close() throws IOException {
    bytes.close();
  }
}
