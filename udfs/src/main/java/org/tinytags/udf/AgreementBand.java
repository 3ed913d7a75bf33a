package org.tinytags.udf;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ConstantObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.Text;

/**
 * {@code agreement_band(agreement [, width])}: the band of whole percents an agreement falls in,
 * as a label for GROUP BY. Bands start at 0 and are {@code width} wide; the last one reaches 100.
 */
@Description(name = "agreement_band",
    value = "_FUNC_(agreement [, width]) - the band of whole percents (width 10 by default, 1-100)"
        + " that an agreement of 0-1 falls in, e.g. '40-49'; the last band ends at 100 ('90-100')."
        + " NULL for a NULL agreement; an agreement outside 0-1 (a percent, say) is an error",
    extended = "Example:\n  > SELECT _FUNC_(0.4667);\n  '40-49'\n"
        + "  > SELECT _FUNC_(0.4667, 25);\n  '25-49'")
public class AgreementBand extends TinyTagsFunction {
  private static final int DEFAULT_WIDTH = 10;
  // votes / trees times 100 can land a hair under a whole percent (0.29 * 100 = 28.999...).
  private static final double EPSILON = 1e-9;

  private PrimitiveObjectInspector agreement;
  private PrimitiveObjectInspector width;
  private final Text result = new Text();

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 2);
    agreement = numberArgument(arguments, 0, "agreement");
    if (arguments.length == 2) {
      width = integerArgument(arguments, 1, "width");
      if (width instanceof ConstantObjectInspector constant) {
        Long value = longValue(constant.getWritableConstantValue(), width);
        if (value == null || value < 1 || value > 100) {
          throw new UDFArgumentTypeException(1, sqlName() + ": argument 2 (width) must be 1-100,"
              + " not " + value);
        }
      }
    }
    return PrimitiveObjectInspectorFactory.writableStringObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    Double share = doubleValue(arguments[0].get(), agreement);
    if (share == null) {
      return null;
    }
    if (!(share >= 0 && share <= 1)) {
      throw new HiveException(sqlName() + ": agreement " + share + " is outside 0-1 (pass "
          + "votes / trees, as images.agreement holds, not a percent)");
    }
    int bandWidth = DEFAULT_WIDTH;
    if (width != null) {
      Long value = longValue(arguments[1].get(), width);
      if (value == null || value < 1 || value > 100) {
        throw new HiveException(sqlName() + ": width must be 1-100, not " + value);
      }
      bandWidth = value.intValue();
    }
    result.set(band((int) Math.floor(share * 100 + EPSILON), bandWidth));
    return result;
  }

  /** The band of {@code percent} (0-100): the last band is widened to end at 100. */
  static String band(int percent, int width) {
    int lower = Math.min(percent / width, 99 / width) * width;
    int upper = lower + width > 99 ? 100 : lower + width - 1;
    return lower + "-" + upper;
  }
}
