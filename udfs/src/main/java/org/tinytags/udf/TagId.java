package org.tinytags.udf;

import java.util.Locale;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.IntWritable;
import org.tinytags.image.CifarClasses;

/** {@code tag_id(name)}: the label code of a CIFAR-10 class name. */
@Description(name = "tag_id",
    value = "_FUNC_(name) - the label code 0-9 of a CIFAR-10 class name (case and surrounding "
        + "blanks ignored); NULL for NULL or a name that is no class",
    extended = "Example:\n  > SELECT _FUNC_('cat');\n  3")
public class TagId extends TinyTagsFunction {
  private PrimitiveObjectInspector name;
  private final IntWritable result = new IntWritable();

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 1);
    name = stringArgument(arguments, 0, "name");
    return PrimitiveObjectInspectorFactory.writableIntObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    String value = stringValue(arguments[0].get(), name);
    if (value == null) {
      return null;
    }
    int code = CifarClasses.NAMES.indexOf(value.trim().toLowerCase(Locale.ROOT));
    if (code < 0) {
      return null;
    }
    result.set(code);
    return result;
  }
}
