package org.tinytags.classify;

import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.orc.TypeDescription;
import org.apache.orc.mapred.OrcList;
import org.apache.orc.mapred.OrcStruct;
import org.tinytags.image.CifarClasses;
import org.tinytags.train.ForestModel;

/**
 * One row of classify's output, and the ORC schema it is written with: the one place the
 * schema is defined. Hive tables, the index job and tests all take it from here.
 */
public final class TagRow {
  /** Column names and types, in file order. */
  public static final TypeDescription SCHEMA = TypeDescription.fromString("struct<"
      + "image_id:bigint,"     // global image index = byte offset in the corpus / record size
      + "block:int,"           // block number (also the partition directory block=NNNNN)
      + "offset:bigint,"       // byte offset of the record inside its block file
      + "label:int,"           // winning CIFAR-10 label, 0-9
      + "votes:int,"           // trees voting for it
      + "trees:int,"           // trees in the forest
      + "agreement:double,"    // votes / trees
      + "class_votes:array<int>," // trees voting for each label 0-9
      + "tagged:boolean>");    // agreement >= the run's threshold

  private TagRow() {}

  /** Fills {@code row} (created by {@link #newRow}) for one image. */
  @SuppressWarnings("unchecked")
  public static void set(OrcStruct row, long imageId, int block, long offset, int[] classVotes,
      int trees, double minAgreement) {
    int label = ForestModel.winner(classVotes);
    int votes = classVotes[label];
    double agreement = (double) votes / trees;
    ((LongWritable) row.getFieldValue(0)).set(imageId);
    ((IntWritable) row.getFieldValue(1)).set(block);
    ((LongWritable) row.getFieldValue(2)).set(offset);
    ((IntWritable) row.getFieldValue(3)).set(label);
    ((IntWritable) row.getFieldValue(4)).set(votes);
    ((IntWritable) row.getFieldValue(5)).set(trees);
    ((DoubleWritable) row.getFieldValue(6)).set(agreement);
    OrcList<IntWritable> perClass = (OrcList<IntWritable>) row.getFieldValue(7);
    for (int i = 0; i < CifarClasses.COUNT; i++) {
      perClass.get(i).set(classVotes[i]);
    }
    ((BooleanWritable) row.getFieldValue(8))
        .set(ForestModel.agrees(votes, trees, minAgreement));
  }

  public static long imageId(OrcStruct row) {
    return ((LongWritable) row.getFieldValue(0)).get();
  }

  public static int block(OrcStruct row) {
    return ((IntWritable) row.getFieldValue(1)).get();
  }

  public static long offset(OrcStruct row) {
    return ((LongWritable) row.getFieldValue(2)).get();
  }

  /** The winning label, 0-9. */
  public static int label(OrcStruct row) {
    return ((IntWritable) row.getFieldValue(3)).get();
  }

  public static int votes(OrcStruct row) {
    return ((IntWritable) row.getFieldValue(4)).get();
  }

  public static int trees(OrcStruct row) {
    return ((IntWritable) row.getFieldValue(5)).get();
  }

  /** Copies the per-label votes into {@code into} (length {@link CifarClasses#COUNT}). */
  @SuppressWarnings("unchecked")
  public static void classVotes(OrcStruct row, int[] into) {
    OrcList<IntWritable> perClass = (OrcList<IntWritable>) row.getFieldValue(7);
    for (int i = 0; i < CifarClasses.COUNT; i++) {
      into[i] = perClass.get(i).get();
    }
  }

  /** Whether {@link #set} marked {@code row} tagged. */
  public static boolean isTagged(OrcStruct row) {
    return ((BooleanWritable) row.getFieldValue(8)).get();
  }

  /** A reusable row with every field allocated. */
  @SuppressWarnings("unchecked")
  public static OrcStruct newRow() {
    OrcStruct row = (OrcStruct) OrcStruct.createValue(SCHEMA);
    row.setFieldValue(0, new LongWritable());
    row.setFieldValue(1, new IntWritable());
    row.setFieldValue(2, new LongWritable());
    row.setFieldValue(3, new IntWritable());
    row.setFieldValue(4, new IntWritable());
    row.setFieldValue(5, new IntWritable());
    row.setFieldValue(6, new DoubleWritable());
    OrcList<IntWritable> perClass = new OrcList<>(SCHEMA.getChildren().get(7));
    for (int i = 0; i < CifarClasses.COUNT; i++) {
      perClass.add(new IntWritable());
    }
    row.setFieldValue(7, perClass);
    row.setFieldValue(8, new BooleanWritable());
    return row;
  }
}
