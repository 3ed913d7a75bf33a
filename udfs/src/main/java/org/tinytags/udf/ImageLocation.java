package org.tinytags.udf;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.Text;
import org.tinytags.io.BlockNames;

/**
 * {@code image_location(block, offset)}: where an image's record is, as
 * {@code <split output>/block-00042.bin@<byte offset>}: enough to read its bytes with any
 * HDFS client, without a function that returns pixels.
 */
@Description(name = "image_location",
    value = "_FUNC_(block, offset) - <tinytags.blocks>/<block file>@<offset>: the block file of "
        + "the split output and the record's byte offset in it; needs SET "
        + "tinytags.blocks=<split output>. NULL if either argument is NULL; a negative one is an "
        + "error",
    extended = "Example:\n  > SET tinytags.blocks=hdfs://nn:8020/corpus/blocks;\n"
        + "  > SELECT _FUNC_(42, 3072000);\n"
        + "  'hdfs://nn:8020/corpus/blocks/block-00042.bin@3072000'")
public class ImageLocation extends AddressFunction {
  public static final String BASE_KEY = "tinytags.blocks";

  private PrimitiveObjectInspector block;
  private PrimitiveObjectInspector offset;
  private String prefix;
  private final Text result = new Text();

  public ImageLocation() {
    super(BASE_KEY, "hdfs://namenode:8020/path/to/split/output");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 2, 2);
    block = integerArgument(arguments, 0, "block");
    offset = integerArgument(arguments, 1, "offset");
    prefix = base() + "/";
    return PrimitiveObjectInspectorFactory.writableStringObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    Long number = longValue(arguments[0].get(), block);
    Long bytes = longValue(arguments[1].get(), offset);
    if (number == null || bytes == null) {
      return null;
    }
    if (number < 0 || number > Integer.MAX_VALUE || bytes < 0) {
      throw new HiveException(sqlName() + ": block " + number + " and offset " + bytes
          + " must be 0 or more");
    }
    result.set(prefix + BlockNames.blockFile(number.intValue()) + "@" + bytes);
    return result;
  }
}
