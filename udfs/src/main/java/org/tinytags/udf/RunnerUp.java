package org.tinytags.udf;

import java.util.List;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ListObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.tinytags.image.CifarClasses;

/**
 * {@code runner_up(class_votes)}: the label with the second most votes and how far it trails
 * the winner: what the forest confuses an image with. Ties go to the lower label, as they do
 * for the winning label in classify.
 */
@Description(name = "runner_up",
    value = "_FUNC_(class_votes) - struct<label:int, tag:string, votes:int, margin:int>: the "
        + "label with the second most votes (ties to the lower label, as for the winner), its "
        + "class name, its votes, and the winner's votes minus its own; NULL for NULL. An array "
        + "that is not ten counts of 0 or more is an error",
    extended = "Example:\n  > SELECT runner_up(class_votes).tag, count(*) FROM images\n"
        + "    WHERE label = tag_id('cat') GROUP BY runner_up(class_votes).tag;\n  dog  812 ...")
public class RunnerUp extends TinyTagsFunction {
  private ListObjectInspector votes;
  private final IntWritable label = new IntWritable();
  private final Text tag = new Text();
  private final IntWritable runnerVotes = new IntWritable();
  private final IntWritable margin = new IntWritable();
  private final Object[] result = {label, tag, runnerVotes, margin};

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 1);
    votes = integerArrayArgument(arguments, 0, "class_votes");
    return ObjectInspectorFactory.getStandardStructObjectInspector(
        List.of("label", "tag", "votes", "margin"),
        List.of(PrimitiveObjectInspectorFactory.writableIntObjectInspector,
            PrimitiveObjectInspectorFactory.writableStringObjectInspector,
            PrimitiveObjectInspectorFactory.writableIntObjectInspector,
            PrimitiveObjectInspectorFactory.writableIntObjectInspector));
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    int[] counts = classVotes(arguments[0].get(), votes);
    if (counts == null) {
      return null;
    }
    int first = -1;
    int second = -1;
    for (int i = 0; i < counts.length; i++) {
      if (first < 0 || counts[i] > counts[first]) {
        second = first;
        first = i;
      } else if (second < 0 || counts[i] > counts[second]) {
        second = i;
      }
    }
    label.set(second);
    tag.set(CifarClasses.name(second));
    runnerVotes.set(counts[second]);
    margin.set(counts[first] - counts[second]);
    return result;
  }
}
