package org.tinytags.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinytags.image.ImageLayout;
import org.tinytags.testing.LocalHadoop;

class ImageInputFormatTest {
  @TempDir
  Path tmp;

  /** {@code count} records whose first two bytes are the image index (big-endian). */
  private static byte[] numberedRecords(ImageLayout layout, int first, int count) {
    int size = layout.recordBytes();
    byte[] bytes = new byte[count * size];
    for (int i = 0; i < count; i++) {
      int n = first + i;
      int at = i * size + (layout.hasLabel() ? 1 : 0);
      bytes[at] = (byte) (n >> 8);
      bytes[at + 1] = (byte) n;
      if (layout.hasLabel()) {
        bytes[i * size] = (byte) (n % 10);
      }
    }
    return bytes;
  }

  private static int numberOf(ImageLayout layout, BytesWritable record) {
    int at = layout.hasLabel() ? 1 : 0;
    return (record.getBytes()[at] & 0xff) << 8 | record.getBytes()[at + 1] & 0xff;
  }

  private Job job(ImageLayout layout, Path input) throws IOException {
    Job job = Job.getInstance(LocalHadoop.conf());
    ImageInputFormat.setLayout(job.getConfiguration(), layout);
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(input.toUri()));
    return job;
  }

  private List<long[]> readAll(Job job) throws Exception {
    ImageInputFormat format = new ImageInputFormat();
    List<long[]> keysAndNumbers = new ArrayList<>();
    for (InputSplit split : format.getSplits(job)) {
      TaskAttemptContextImpl context =
          new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<LongWritable, BytesWritable> reader =
          format.createRecordReader(split, context)) {
        reader.initialize(split, context);
        while (reader.nextKeyValue()) {
          keysAndNumbers.add(new long[] {reader.getCurrentKey().get(),
              numberOf(ImageInputFormat.getLayout(job.getConfiguration()),
                  reader.getCurrentValue())});
        }
      }
    }
    return keysAndNumbers;
  }

  @Test
  void keysAreGlobalIndexesAcrossFilesAndUnalignedSplits() throws Exception {
    Files.write(tmp.resolve("a.bin"), numberedRecords(ImageLayout.TINY, 0, 5));
    Files.write(tmp.resolve("b.bin"), numberedRecords(ImageLayout.TINY, 5, 3));
    Job job = job(ImageLayout.TINY, tmp);
    // Byte-range splits that cut records in half: each record must still be read exactly once.
    job.getConfiguration().setLong("mapreduce.input.fileinputformat.split.maxsize", 2 * 3072 + 100);
    List<long[]> read = readAll(job);
    assertEquals(8, read.size());
    for (int i = 0; i < read.size(); i++) {
      assertEquals(i, read.get(i)[0], "key of record " + i);
      assertEquals(i, read.get(i)[1], "record behind key " + i);
    }
  }

  /** Echoes each record's key; the job's counter must count every record. */
  public static class EchoIndex extends Mapper<LongWritable, BytesWritable, Text, NullWritable> {
    @Override
    protected void map(LongWritable key, BytesWritable value, Context context)
        throws IOException, InterruptedException {
      context.write(new Text(key.get() + ":" + numberOf(ImageLayout.CIFAR, value)),
          NullWritable.get());
    }
  }

  @Test
  void jobCountsRecordsReadAndSeesLabeledRecords() throws Exception {
    Files.write(tmp.resolve("a.bin"), numberedRecords(ImageLayout.CIFAR, 0, 7));
    Job job = job(ImageLayout.CIFAR, tmp);
    job.setInputFormatClass(ImageInputFormat.class);
    job.setMapperClass(EchoIndex.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(NullWritable.class);
    Path out = tmp.resolve("out");
    FileOutputFormat.setOutputPath(job, new org.apache.hadoop.fs.Path(out.toUri()));
    assertTrue(job.waitForCompletion(false));
    assertEquals(7, job.getCounters().findCounter(ImageCounters.RECORDS_READ).getValue());
    List<String> lines = Files.readAllLines(out.resolve("part-m-00000"));
    assertEquals(List.of("0:0", "1:1", "2:2", "3:3", "4:4", "5:5", "6:6"), lines);
  }

  @Test
  void truncatedFileFailsBeforeTheJobNamingFileLengthAndRecordSize() throws IOException {
    Path file = tmp.resolve("truncated.bin");
    Files.write(file, java.util.Arrays.copyOf(numberedRecords(ImageLayout.TINY, 0, 3),
        2 * 3072 + 100));
    IOException e = assertThrows(IOException.class,
        () -> new ImageInputFormat().getSplits(job(ImageLayout.TINY, tmp)));
    assertTrue(e.getMessage().contains("truncated.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("6244"), e.getMessage());
    assertTrue(e.getMessage().contains("3072"), e.getMessage());
  }

  @Test
  void recordSizeOfAnotherLayoutIsRefused() throws IOException {
    Files.write(tmp.resolve("cifar.bin"), numberedRecords(ImageLayout.CIFAR, 0, 4));
    IOException e = assertThrows(IOException.class,
        () -> new ImageInputFormat().getSplits(job(ImageLayout.TINY, tmp)));
    assertTrue(e.getMessage().contains("12292 bytes is not a multiple of the tiny record size 3072"),
        e.getMessage());
  }

  @Test
  void emptyInputIsAnError() throws IOException {
    Files.write(tmp.resolve("empty.bin"), new byte[0]);
    IOException e = assertThrows(IOException.class,
        () -> new ImageInputFormat().getSplits(job(ImageLayout.TINY, tmp)));
    assertTrue(e.getMessage().contains("no images"), e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesFileAndRecord() throws IOException {
    byte[] records = numberedRecords(ImageLayout.CIFAR, 0, 4);
    records[2 * 3073] = 10;
    Files.write(tmp.resolve("bad-label.bin"), records);
    IOException e = assertThrows(IOException.class, () -> readAll(job(ImageLayout.CIFAR, tmp)));
    assertTrue(e.getMessage().contains("bad-label.bin: record 2 (byte offset 6146) has label 10"),
        e.getMessage());
  }

  @Test
  void layoutMustBeSet() {
    Configuration conf = new Configuration(false);
    assertThrows(IllegalStateException.class, () -> ImageInputFormat.getLayout(conf));
  }
}
