package org.tinytags.udf;

import java.util.Set;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentLengthException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.objectinspector.ListObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorUtils;
import org.tinytags.image.CifarClasses;

/**
 * What every TinyTags function shares: its name from {@link Description}, argument checks that
 * name the argument's position (1-based, as Hive's own messages count), typed readers that
 * turn SQL NULL into Java null, and {@link #getDisplayString}.
 */
public abstract class TinyTagsFunction extends GenericUDF {
  // VOID is the type of a bare NULL literal: tag_name(NULL) is NULL, not a type error.
  private static final Set<PrimitiveCategory> INTEGERS =
      Set.of(PrimitiveCategory.VOID, PrimitiveCategory.BYTE, PrimitiveCategory.SHORT, PrimitiveCategory.INT,
          PrimitiveCategory.LONG);
  private static final Set<PrimitiveCategory> NUMBERS =
      Set.of(PrimitiveCategory.VOID, PrimitiveCategory.BYTE, PrimitiveCategory.SHORT, PrimitiveCategory.INT,
          PrimitiveCategory.LONG, PrimitiveCategory.FLOAT, PrimitiveCategory.DOUBLE,
          PrimitiveCategory.DECIMAL);
  private static final Set<PrimitiveCategory> STRINGS =
      Set.of(PrimitiveCategory.VOID, PrimitiveCategory.STRING, PrimitiveCategory.VARCHAR,
          PrimitiveCategory.CHAR);

  /** The SQL name, from the class's {@code @Description}. */
  protected String sqlName() {
    return getClass().getAnnotation(Description.class).name();
  }

  protected void checkArity(ObjectInspector[] arguments, int min, int max)
      throws UDFArgumentLengthException {
    if (arguments.length < min || arguments.length > max) {
      String expected = min == max ? String.valueOf(min) : min + " or " + max;
      throw new UDFArgumentLengthException(sqlName() + " takes " + expected + " argument"
          + (max == 1 ? "" : "s") + ", not " + arguments.length);
    }
  }

  /** Argument {@code index} (0-based) as an integer type: tinyint, smallint, int or bigint. */
  protected PrimitiveObjectInspector integerArgument(ObjectInspector[] arguments, int index,
      String what) throws UDFArgumentException {
    return primitive(arguments, index, what, INTEGERS, "an integer (tinyint, smallint, int or "
        + "bigint)");
  }

  protected PrimitiveObjectInspector numberArgument(ObjectInspector[] arguments, int index,
      String what) throws UDFArgumentException {
    return primitive(arguments, index, what, NUMBERS, "a number");
  }

  protected PrimitiveObjectInspector stringArgument(ObjectInspector[] arguments, int index,
      String what) throws UDFArgumentException {
    return primitive(arguments, index, what, STRINGS, "a string");
  }

  /**
   * Argument {@code index} as an array of integers; returns the list's inspector, or null for a
   * bare NULL literal (whose values are all NULL).
   */
  protected ListObjectInspector integerArrayArgument(ObjectInspector[] arguments, int index,
      String what) throws UDFArgumentException {
    ObjectInspector argument = arguments[index];
    if (argument instanceof PrimitiveObjectInspector nullLiteral
        && nullLiteral.getPrimitiveCategory() == PrimitiveCategory.VOID) {
      return null;
    }
    if (argument instanceof ListObjectInspector list
        && list.getListElementObjectInspector() instanceof PrimitiveObjectInspector element
        && INTEGERS.contains(element.getPrimitiveCategory())) {
      return list;
    }
    throw new UDFArgumentTypeException(index, sqlName() + ": argument " + (index + 1) + " ("
        + what + ") must be an array of integers, not " + argument.getTypeName());
  }

  private PrimitiveObjectInspector primitive(ObjectInspector[] arguments, int index,
      String what, Set<PrimitiveCategory> allowed, String expected) throws UDFArgumentException {
    ObjectInspector argument = arguments[index];
    if (argument instanceof PrimitiveObjectInspector primitive
        && allowed.contains(primitive.getPrimitiveCategory())) {
      return primitive;
    }
    throw new UDFArgumentTypeException(index, sqlName() + ": argument " + (index + 1) + " ("
        + what + ") must be " + expected + ", not " + argument.getTypeName());
  }

  /** The value as a long, or null for SQL NULL. */
  protected static Long longValue(Object value, PrimitiveObjectInspector inspector) {
    return value == null ? null : PrimitiveObjectInspectorUtils.getLong(value, inspector);
  }

  protected static Double doubleValue(Object value, PrimitiveObjectInspector inspector) {
    return value == null ? null : PrimitiveObjectInspectorUtils.getDouble(value, inspector);
  }

  protected static String stringValue(Object value, PrimitiveObjectInspector inspector) {
    return value == null ? null : PrimitiveObjectInspectorUtils.getString(value, inspector);
  }

  /**
   * The ten per-class votes of an {@code array<int>}, or null for a NULL array. Throws if the
   * array does not hold exactly one count per class, or holds a NULL or a negative count.
   */
  protected int[] classVotes(Object array, ListObjectInspector inspector)
      throws HiveException {
    if (array == null || inspector == null) {
      return null;
    }
    int length = inspector.getListLength(array);
    if (length != CifarClasses.COUNT) {
      throw new HiveException(sqlName()
          + ": class votes must hold " + CifarClasses.COUNT
          + " counts (one per CIFAR-10 class), not " + length);
    }
    PrimitiveObjectInspector element =
        (PrimitiveObjectInspector) inspector.getListElementObjectInspector();
    int[] votes = new int[length];
    for (int i = 0; i < length; i++) {
      Long count = longValue(inspector.getListElement(array, i), element);
      if (count == null || count < 0) {
        throw new HiveException(sqlName()
            + ": class votes hold " + count + " for " + CifarClasses.name(i)
            + "; counts must be 0 or more");
      }
      votes[i] = count.intValue();
    }
    return votes;
  }

  @Override
  public String getDisplayString(String[] children) {
    return getStandardDisplayString(sqlName(), children);
  }
}
