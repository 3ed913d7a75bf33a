package org.tinytags.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.MapredContext;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentLengthException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF.DeferredJavaObject;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF.DeferredObject;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorUtils;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.typeinfo.TypeInfoFactory;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.mapred.JobConf;
import org.junit.jupiter.api.Test;

/**
 * Every function at the ObjectInspector level, as Hive calls it: initialize with the argument
 * inspectors, evaluate with deferred values. Java objects (Integer, String, List) stand in for
 * Hive's values through the Java inspectors.
 */
class FunctionsTest {
  private static final ObjectInspector INT = PrimitiveObjectInspectorFactory.javaIntObjectInspector;
  private static final ObjectInspector BIGINT =
      PrimitiveObjectInspectorFactory.javaLongObjectInspector;
  private static final ObjectInspector TINYINT =
      PrimitiveObjectInspectorFactory.javaByteObjectInspector;
  private static final ObjectInspector DOUBLE =
      PrimitiveObjectInspectorFactory.javaDoubleObjectInspector;
  private static final ObjectInspector STRING =
      PrimitiveObjectInspectorFactory.javaStringObjectInspector;
  private static final ObjectInspector INT_ARRAY =
      ObjectInspectorFactory.getStandardListObjectInspector(INT);
  private static final ObjectInspector STRING_ARRAY =
      ObjectInspectorFactory.getStandardListObjectInspector(STRING);

  private static final List<Integer> VOTES = List.of(1, 0, 2, 14, 0, 9, 3, 1, 0, 0);

  /** Initializes {@code udf} over {@code inspectors}; returns its output inspector. */
  private static ObjectInspector init(GenericUDF udf, ObjectInspector... inspectors)
      throws UDFArgumentException {
    return udf.initialize(inspectors);
  }

  /** Evaluates and converts the result to plain Java objects. */
  private static Object eval(GenericUDF udf, ObjectInspector output, Object... values)
      throws HiveException {
    DeferredObject[] deferred = Arrays.stream(values).map(DeferredJavaObject::new)
        .toArray(DeferredObject[]::new);
    return ObjectInspectorUtils.copyToStandardJavaObject(udf.evaluate(deferred), output);
  }

  private static Object call(GenericUDF udf, ObjectInspector[] inspectors, Object... values)
      throws HiveException {
    return eval(udf, init(udf, inspectors), values);
  }

  private static ObjectInspector[] args(ObjectInspector... inspectors) {
    return inspectors;
  }

  @Test
  void tagNameNamesEveryClassAndNullsTheRest() throws HiveException {
    TagName udf = new TagName();
    ObjectInspector out = init(udf, INT);
    assertEquals("airplane", eval(udf, out, 0));
    assertEquals("cat", eval(udf, out, 3));
    assertEquals("truck", eval(udf, out, 9));
    assertNull(eval(udf, out, (Object) null));
    assertNull(eval(udf, out, 10));
    assertNull(eval(udf, out, -1));
    assertEquals("dog", call(new TagName(), args(BIGINT), 5L));
    assertEquals("frog", call(new TagName(), args(TINYINT), (byte) 6));
  }

  @Test
  void aBareNullLiteralIsNullNotATypeError() throws HiveException {
    ObjectInspector nullLiteral = PrimitiveObjectInspectorFactory.writableVoidObjectInspector;
    assertNull(call(new TagName(), args(nullLiteral), (Object) null));
    assertNull(call(new TagId(), args(nullLiteral), (Object) null));
    assertNull(call(new AgreementBand(), args(nullLiteral), (Object) null));
    assertNull(call(new ClassVotesMap(), args(nullLiteral), (Object) null));
    assertNull(call(new RunnerUp(), args(nullLiteral), (Object) null));
  }

  @Test
  void tagIdIsTheInverseOfTagName() throws HiveException {
    TagId udf = new TagId();
    ObjectInspector out = init(udf, STRING);
    TagName names = new TagName();
    ObjectInspector namesOut = init(names, INT);
    for (int label = 0; label < 10; label++) {
      assertEquals(label, eval(udf, out, eval(names, namesOut, label)));
    }
    assertEquals(3, eval(udf, out, " Cat "));
    assertNull(eval(udf, out, "kitten"));
    assertNull(eval(udf, out, (Object) null));
  }

  @Test
  void agreementBandsAreWholePercentsAndTheLastReaches100() throws HiveException {
    AgreementBand udf = new AgreementBand();
    ObjectInspector out = init(udf, DOUBLE);
    assertEquals("40-49", eval(udf, out, 0.4667));
    assertEquals("0-9", eval(udf, out, 0.0));
    assertEquals("90-100", eval(udf, out, 1.0));
    assertEquals("90-100", eval(udf, out, 0.95));
    // 29 of 100 trees is 0.29, and 0.29 * 100 is 28.999... in doubles.
    assertEquals("20-29", eval(udf, out, 29 / 100.0));
    assertEquals("30-39", eval(udf, out, 3 / 10.0));
    assertNull(eval(udf, out, (Object) null));
    HiveException percent = assertThrows(HiveException.class, () -> eval(udf, out, 87.0));
    assertEquals("agreement_band: agreement 87.0 is outside 0-1 (pass votes / trees, as "
        + "images.agreement holds, not a percent)", percent.getMessage());

    AgreementBand wide = new AgreementBand();
    ObjectInspector wideOut = init(wide, DOUBLE, INT);
    assertEquals("25-49", eval(wide, wideOut, 0.4667, 25));
    assertEquals("75-100", eval(wide, wideOut, 1.0, 25));
    assertEquals("98-100", eval(wide, wideOut, 0.99, 7));
    assertEquals("91-97", eval(wide, wideOut, 0.97, 7));
    assertEquals("0-100", eval(wide, wideOut, 0.5, 100));
    HiveException zero = assertThrows(HiveException.class, () -> eval(wide, wideOut, 0.5, 0));
    assertEquals("agreement_band: width must be 1-100, not 0", zero.getMessage());
  }

  @Test
  void agreementBandChecksAConstantWidthWhenCompiled() {
    ObjectInspector constantZero = PrimitiveObjectInspectorFactory
        .getPrimitiveWritableConstantObjectInspector(TypeInfoFactory.intTypeInfo,
            new IntWritable(0));
    UDFArgumentTypeException e = assertThrows(UDFArgumentTypeException.class,
        () -> init(new AgreementBand(), DOUBLE, constantZero));
    assertEquals(1, e.getArgumentId());
    assertEquals("agreement_band: argument 2 (width) must be 1-100, not 0", e.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void classVotesMapKeysTheVotesByClassNameInLabelOrder() throws HiveException {
    ClassVotesMap udf = new ClassVotesMap();
    ObjectInspector out = init(udf, INT_ARRAY);
    Map<String, Integer> map = (Map<String, Integer>) eval(udf, out, VOTES);
    Map<String, Integer> expected = new LinkedHashMap<>();
    List<String> names = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
        "horse", "ship", "truck");
    for (int i = 0; i < 10; i++) {
      expected.put(names.get(i), VOTES.get(i));
    }
    assertEquals(expected, map);
    assertEquals(names, new ArrayList<>(map.keySet()));
    assertNull(eval(udf, out, (Object) null));
    HiveException shortArray = assertThrows(HiveException.class,
        () -> eval(udf, out, List.of(1, 2, 3)));
    assertEquals("class_votes_map: class votes must hold 10 counts (one per CIFAR-10 class), "
        + "not 3", shortArray.getMessage());
    List<Integer> withNull = new ArrayList<>(VOTES);
    withNull.set(4, null);
    HiveException nullCount = assertThrows(HiveException.class,
        () -> eval(udf, out, withNull));
    assertEquals("class_votes_map: class votes hold null for deer; counts must be 0 or more",
        nullCount.getMessage());
  }

  @Test
  void runnerUpIsTheSecondLabelWithItsMargin() throws HiveException {
    RunnerUp udf = new RunnerUp();
    ObjectInspector out = init(udf, INT_ARRAY);
    assertTrue(out instanceof StructObjectInspector);
    assertEquals("struct<label:int,tag:string,votes:int,margin:int>", out.getTypeName());
    assertEquals(List.of(5, "dog", 9, 5), eval(udf, out, VOTES));
    // A tie with the winner: the higher label is the runner-up, margin 0.
    assertEquals(List.of(7, "horse", 4, 0),
        eval(udf, out, List.of(0, 4, 0, 0, 0, 0, 0, 4, 0, 0)));
    // A tie for second place goes to the lower label.
    assertEquals(List.of(2, "bird", 1, 8),
        eval(udf, out, List.of(0, 0, 1, 0, 0, 0, 1, 0, 9, 1)));
    // Winner first in the array, then a larger count later.
    assertEquals(List.of(0, "airplane", 5, 2),
        eval(udf, out, List.of(5, 3, 7, 0, 5, 0, 0, 0, 0, 0)));
    assertNull(eval(udf, out, (Object) null));
  }

  @Test
  void thumbnailUrlTakesItsBaseFromTheJobConfiguration() throws HiveException {
    ThumbnailUrl udf = new ThumbnailUrl();
    JobConf job = new JobConf(false);
    job.set("tinytags.web.url", "http://127.0.0.1:8080/");
    udf.configure(MapredContext.init(true, job));
    ObjectInspector out = init(udf, BIGINT);
    assertEquals("http://127.0.0.1:8080/api/image/1019.png", eval(udf, out, 1019L));
    assertNull(eval(udf, out, (Object) null));
    HiveException negative = assertThrows(HiveException.class, () -> eval(udf, out, -4L));
    assertEquals("thumbnail_url: image id -4 is negative", negative.getMessage());
  }

  @Test
  void functionsWithoutTheirSessionVariableSayWhichToSet() {
    UDFArgumentException thumbnail = assertThrows(UDFArgumentException.class,
        () -> init(new ThumbnailUrl(), BIGINT));
    assertEquals("thumbnail_url needs the session variable tinytags.web.url: "
        + "SET tinytags.web.url=http://127.0.0.1:8080;", thumbnail.getMessage());
    UDFArgumentException location = assertThrows(UDFArgumentException.class,
        () -> init(new ImageLocation(), INT, BIGINT));
    assertEquals("image_location needs the session variable tinytags.blocks: "
        + "SET tinytags.blocks=hdfs://namenode:8020/path/to/split/output;",
        location.getMessage());
  }

  @Test
  void imageLocationNamesTheBlockFileAndOffset() throws HiveException {
    ImageLocation udf = new ImageLocation();
    JobConf job = new JobConf(false);
    job.set("tinytags.blocks", "hdfs://nn:8020/corpus/blocks");
    udf.configure(MapredContext.init(false, job));
    ObjectInspector out = init(udf, INT, BIGINT);
    assertEquals("hdfs://nn:8020/corpus/blocks/block-00042.bin@3072000",
        eval(udf, out, 42, 3_072_000L));
    assertNull(eval(udf, out, null, 5L));
    assertNull(eval(udf, out, 5, null));
    HiveException negative = assertThrows(HiveException.class, () -> eval(udf, out, -1, 0L));
    assertEquals("image_location: block -1 and offset 0 must be 0 or more",
        negative.getMessage());
  }

  @Test
  void wrongArgumentTypesAreRefusedNamingTheirPosition() {
    UDFArgumentTypeException name = assertThrows(UDFArgumentTypeException.class,
        () -> init(new TagName(), STRING));
    assertEquals(0, name.getArgumentId());
    assertEquals("tag_name: argument 1 (label) must be an integer (tinyint, smallint, int or "
        + "bigint), not string", name.getMessage());
    UDFArgumentTypeException id = assertThrows(UDFArgumentTypeException.class,
        () -> init(new TagId(), INT));
    assertEquals("tag_id: argument 1 (name) must be a string, not int", id.getMessage());
    UDFArgumentTypeException band = assertThrows(UDFArgumentTypeException.class,
        () -> init(new AgreementBand(), STRING));
    assertEquals("agreement_band: argument 1 (agreement) must be a number, not string",
        band.getMessage());
    UDFArgumentTypeException width = assertThrows(UDFArgumentTypeException.class,
        () -> init(new AgreementBand(), DOUBLE, DOUBLE));
    assertEquals(1, width.getArgumentId());
    assertEquals("agreement_band: argument 2 (width) must be an integer (tinyint, smallint, int "
        + "or bigint), not double", width.getMessage());
    UDFArgumentTypeException map = assertThrows(UDFArgumentTypeException.class,
        () -> init(new ClassVotesMap(), STRING_ARRAY));
    assertEquals("class_votes_map: argument 1 (class_votes) must be an array of integers, not "
        + "array<string>", map.getMessage());
    UDFArgumentTypeException runnerUp = assertThrows(UDFArgumentTypeException.class,
        () -> init(new RunnerUp(), INT));
    assertEquals("runner_up: argument 1 (class_votes) must be an array of integers, not int",
        runnerUp.getMessage());
    UDFArgumentTypeException offset = assertThrows(UDFArgumentTypeException.class,
        () -> init(new ImageLocation(), INT, STRING));
    assertEquals(1, offset.getArgumentId());
    assertEquals("image_location: argument 2 (offset) must be an integer (tinyint, smallint, int"
        + " or bigint), not string", offset.getMessage());
  }

  @Test
  void wrongArgumentCountsAreRefused() {
    UDFArgumentLengthException none = assertThrows(UDFArgumentLengthException.class,
        () -> init(new TagName()));
    assertEquals("tag_name takes 1 argument, not 0", none.getMessage());
    UDFArgumentLengthException three = assertThrows(UDFArgumentLengthException.class,
        () -> init(new AgreementBand(), DOUBLE, INT, INT));
    assertEquals("agreement_band takes 1 or 2 arguments, not 3", three.getMessage());
    UDFArgumentLengthException one = assertThrows(UDFArgumentLengthException.class,
        () -> init(new ImageLocation(), INT));
    assertEquals("image_location takes 2 arguments, not 1", one.getMessage());
  }

  @Test
  void everyFunctionDescribesItselfAndDisplaysItsCall() {
    for (GenericUDF udf : Functions.ALL) {
      Description description = udf.getClass().getAnnotation(Description.class);
      assertTrue(description.extended().startsWith("Example:"), description.name());
      assertFalse(description.value().isBlank(), description.name());
      assertEquals(description.name() + "(label, 3)",
          udf.getDisplayString(new String[] {"label", "3"}));
    }
  }
}
