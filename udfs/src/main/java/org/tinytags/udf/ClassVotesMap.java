package org.tinytags.udf;

import java.util.LinkedHashMap;
import java.util.Map;

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

/** {@code class_votes_map(class_votes)}: the ten per-class votes keyed by class name. */
@Description(name = "class_votes_map",
    value = "_FUNC_(class_votes) - the ten per-class vote counts of an array<int> as a "
        + "map<string,int> keyed by CIFAR-10 class name, in label order; NULL for NULL. An array "
        + "that is not ten counts of 0 or more is an error",
    extended = "Example:\n  > SELECT _FUNC_(class_votes)['cat'] FROM images LIMIT 1;\n  14")
public class ClassVotesMap extends TinyTagsFunction {
  private ListObjectInspector votes;
  private final Map<Text, IntWritable> result = new LinkedHashMap<>();

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 1);
    votes = integerArrayArgument(arguments, 0, "class_votes");
    return ObjectInspectorFactory.getStandardMapObjectInspector(
        PrimitiveObjectInspectorFactory.writableStringObjectInspector,
        PrimitiveObjectInspectorFactory.writableIntObjectInspector);
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    int[] counts = classVotes(arguments[0].get(), votes);
    if (counts == null) {
      return null;
    }
    result.clear();
    for (int label = 0; label < counts.length; label++) {
      result.put(new Text(CifarClasses.name(label)), new IntWritable(counts[label]));
    }
    return result;
  }
}
