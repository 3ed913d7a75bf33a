package org.tinytags.udf;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.apache.hadoop.io.Text;

/**
 * {@code thumbnail_url(image_id)}: the address of an image's PNG on the search page's server
 * ({@code serve}'s {@code /api/image/<id>.png}). Pixels stay in the block files; this only names
 * where the server renders them.
 */
@Description(name = "thumbnail_url",
    value = "_FUNC_(image_id) - the search page's PNG address of an image, "
        + "<tinytags.web.url>/api/image/<id>.png; needs SET tinytags.web.url=http://host:port. "
        + "NULL for NULL; a negative id is an error",
    extended = "Example:\n  > SET tinytags.web.url=http://127.0.0.1:8080;\n"
        + "  > SELECT _FUNC_(1019);\n  'http://127.0.0.1:8080/api/image/1019.png'")
public class ThumbnailUrl extends AddressFunction {
  public static final String BASE_KEY = "tinytags.web.url";

  private PrimitiveObjectInspector id;
  private String prefix;
  private final Text result = new Text();

  public ThumbnailUrl() {
    super(BASE_KEY, "http://127.0.0.1:8080");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    checkArity(arguments, 1, 1);
    id = integerArgument(arguments, 0, "image_id");
    prefix = base() + "/api/image/";
    return PrimitiveObjectInspectorFactory.writableStringObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    Long image = longValue(arguments[0].get(), id);
    if (image == null) {
      return null;
    }
    if (image < 0) {
      throw new HiveException(sqlName() + ": image id " + image + " is negative");
    }
    result.set(prefix + image + ".png");
    return result;
  }
}
