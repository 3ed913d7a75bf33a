package org.tinytags.udf;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.Text;
import org.tinytags.image.CifarClasses;

/** {@code tag_name(label)}: the CIFAR-10 class name of a label code. */
@Description(name = "tag_name",
    value = "_FUNC_(label) - the CIFAR-10 class name of label 0-9; NULL for NULL or a code "
        + "outside 0-9",
    extended = "Example:\n  > SELECT _FUNC_(3);\n  'cat'")
public class TagName extends TinyTagsFunction {
  private PrimitiveObjectInspector label;
  private final Text result = new Text();

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 1);
    label = integerArgument(arguments, 0, "label");
    return PrimitiveObjectInspectorFactory.writableStringObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    Long code = longValue(arguments[0].get(), label);
    if (code == null || code < 0 || code >= CifarClasses.COUNT) {
      return null;
    }
    result.set(CifarClasses.name(code.intValue()));
    return result;
  }
}
