package org.tinytags.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.hive.ql.exec.Description;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.orc.TypeDescription;
import org.junit.jupiter.api.Test;
import org.tinytags.classify.TagRow;
import org.tinytags.udf.Functions;

/** The ddl/ files against the code they describe, and how scripts are filled in and split. */
class DdlTest {
  private static final Map<String, String> VARIABLES = Map.of("database", "tinytags",
      "table", "images", "view", "tags", "classified", "hdfs://nn:8020/tags",
      "udf_jar", "hdfs://nn:8020/jars/tinytags-udfs.jar", "blocks_data", "/b",
      "labels_data", "/l");

  /** Column name and type of each line "  name TYPE COMMENT ..." of a CREATE TABLE. */
  private static List<String> columns(String createTable) {
    List<String> columns = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s+`?(\\w+)`?\\s+([A-Z<>]+) COMMENT").matcher(
        createTable.substring(0, createTable.indexOf("PARTITIONED BY")));
    while (m.find()) {
      columns.add(m.group(1) + ":" + m.group(2).toLowerCase(Locale.ROOT));
    }
    return columns;
  }

  @Test
  void theImagesTableHasClassifysColumnsButBlockInFileOrder() throws IOException {
    String ddl = HqlScript.resource("ddl/images.hql", VARIABLES).statements().get(0);
    List<String> expected = new ArrayList<>();
    List<String> names = TagRow.SCHEMA.getFieldNames();
    List<TypeDescription> types = TagRow.SCHEMA.getChildren();
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equals("block")) {
        expected.add(names.get(i) + ":" + types.get(i).toString());
      }
    }
    assertEquals(expected, columns(ddl));
    assertEquals(true, ddl.contains("PARTITIONED BY (block INT "));
    assertEquals(true, ddl.endsWith("LOCATION 'hdfs://nn:8020/tags'"));
  }

  @Test
  void functionsHqlRegistersEveryFunctionOfTheJarOnce() throws IOException {
    List<String> created = new ArrayList<>();
    Pattern create = Pattern.compile("CREATE FUNCTION tinytags\\.(\\w+) AS '([\\w.]+)'\\s+"
        + "USING JAR 'hdfs://nn:8020/jars/tinytags-udfs.jar'");
    for (String statement : HqlScript.resource("ddl/functions.hql", VARIABLES).statements()) {
      Matcher m = create.matcher(statement);
      if (m.matches()) {
        created.add(m.group(1) + "=" + m.group(2));
      }
    }
    List<String> expected = new ArrayList<>();
    for (GenericUDF udf : Functions.ALL) {
      expected.add(udf.getClass().getAnnotation(Description.class).name() + "="
          + udf.getClass().getName());
    }
    assertEquals(expected, created);
  }

  @Test
  void statementsSplitAtSemicolonsOutsideQuotesAndComments() throws IOException {
    HqlScript script = HqlScript.of("t", "-- a comment; with a semicolon\n"
        + "SELECT 'a;b', \"c;d\", `e;f` FROM t; -- trailing; comment\n"
        + "SELECT 'it''s', '\\';' FROM u;\n\n;", Map.of());
    assertEquals(List.of("SELECT 'a;b', \"c;d\", `e;f` FROM t", "SELECT 'it''s', '\\';' FROM u"),
        script.statements());
  }

  @Test
  void aMissingVariableIsNamedWithTheFlagThatGivesIt() {
    IOException e = assertThrows(IOException.class,
        () -> HqlScript.of("queries/top_per_tag.hql", "SELECT ${hivevar:n}, ${hivevar:table}",
            Map.of()));
    assertEquals("queries/top_per_tag.hql needs ${hivevar:n}, ${hivevar:table}: pass --hivevar "
        + "n=...", e.getMessage());
  }
}
