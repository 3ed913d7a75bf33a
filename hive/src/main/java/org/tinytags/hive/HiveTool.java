package org.tinytags.hive;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ClassUtil;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.io.BlockManifest;
import org.tinytags.udf.ImageLocation;
import org.tinytags.udf.TagName;
import org.tinytags.udf.ThumbnailUrl;

/**
 * {@code hive}: from a finished classify run to queryable tables in one command, then SQL.
 * Creates (or brings up to date) the database, TinyTags' functions, the external table over the
 * classify output with one partition per block, the {@code blocks} and {@code true_labels}
 * tables when their sources are given, and the readable view; then runs {@code -e} or {@code -f}
 * and prints the rows tab-separated under a header line. Every statement comes from the
 * module's {@code ddl/} files, as a user would run them. Runs in its own JVM (Hive's class path):
 * {@code bin/tinytags hive} starts it.
 */
public class HiveTool extends Command {
  /** The ddl/ scripts, in the order they run. */
  private static final String DATABASE = "ddl/database.hql";
  private static final String FUNCTIONS = "ddl/functions.hql";
  private static final String IMAGES = "ddl/images.hql";
  private static final String BLOCKS = "ddl/blocks.hql";
  private static final String TRUE_LABELS = "ddl/true_labels.hql";
  private static final String VIEW = "ddl/tags_view.hql";
  private static final String REPAIR = "ddl/repair.hql";
  /** Settings every session gets: ORC columns by name, plain column names in result headers. */
  private static final List<String> SESSION = List.of(
      "SET orc.force.positional.evolution=false",
      "SET hive.resultset.use.unique.column.names=false");

  /** Variables named like a flag: --hivevar may set them for -e / -f alone, not for tables. */
  private static final List<String> FLAG_VARIABLES = List.of("database", "table", "view");
  /** Variables the command fills in from its inputs: never from --hivevar. */
  private static final List<String> INPUT_VARIABLES = List.of("classified", "udf_jar",
      "blocks_data", "labels_data");

  private final PrintStream out;

  public HiveTool() {
    this(System.out);
  }

  public HiveTool(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "hive";
  }

  @Override
  public String summary() {
    return "Create or update the Hive tables over a classify output, then run SQL (-e, -f).";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(flag("classified", "dir", "classify output to create or update the tables "
            + "over; without it, only -e / -f run, against the existing tables"))
        .addOption(flag("blocks", "dir", "the split output classify read: its manifest becomes "
            + "the blocks table, and the partitions are checked against it"))
        .addOption(flag("labels", "file", "a make-corpus .labels sidecar: the true_labels table"))
        .addOption(flag("database", "name", "database (default tinytags)"))
        .addOption(flag("table", "name", "table over the classify output (default images)"))
        .addOption(flag("view", "name", "the readable view over it (default tags)"))
        .addOption(flag("jdbc", "url", "a running HiveServer2, e.g. jdbc:hive2://host:10000/"))
        .addOption(toggle("embedded", "an in-process Hive: local files, Derby metastore in "
            + "--metastore"))
        .addOption(flag("metastore", "dir", "directory of the embedded metastore and warehouse "
            + "(default ./work/hive)"))
        .addOption(flag("udf-jar", "uri", "the UDF jar as HiveServer2 reads it (default this "
            + "build's jar, file://...; on a cluster put it in HDFS)"))
        .addOption(flag("web-url", "url", "the search page's address, for thumbnail_url "
            + "(SET tinytags.web.url)"))
        .addOption(toggle("print", "print the DDL with the locations filled in; run nothing"))
        .addOption(Option.builder("e").hasArg().argName("sql").desc("SQL to run").build())
        .addOption(Option.builder("f").hasArg().argName("file.hql").desc("HiveQL file to run")
            .build())
        .addOption(Option.builder().longOpt("hivevar").hasArg().argName("name=value")
            .desc("a ${hivevar:name} of -e / -f (repeatable)").build());
  }

  /**
   * What {@code --classified} asks for: the checked classify output, the sources of the tables
   * TinyTags writes itself, the ddl/ scripts with every variable filled in, and the location
   * each external table must have (by table name).
   */
  private record Tables(ClassifiedOutput classified, Path blocksDir,
      BlockManifest manifest, Path labels, List<HqlScript> scripts,
      Map<String, String> locations) {

    /** Writes the rows of blocks and true_labels from their sources. */
    void writeData(Configuration conf) throws IOException {
      if (blocksDir != null) {
        TableData.writeBlocks(blocksDir.getFileSystem(conf), blocksDir, manifest);
      }
      if (labels != null) {
        TableData.writeLabels(labels.getFileSystem(conf), labels);
      }
    }
  }

  @Override
  protected int run(CommandLine line) throws Exception {
    checkFlags(line);
    Configuration conf = getConf();
    Map<String, String> variables = variables(line);
    List<String> session = new ArrayList<>(SESSION);
    if (line.hasOption("web-url")) {
      session.add("SET " + ThumbnailUrl.BASE_KEY + "=" + line.getOptionValue("web-url"));
    }
    // Everything is checked before anything is written or created.
    Tables tables = line.hasOption("classified") ? plan(line, conf, variables) : null;
    if (tables != null && tables.blocksDir() != null) {
      session.add("SET " + ImageLocation.BASE_KEY + "=" + tables.blocksDir());
    }
    if (line.hasOption("print")) {
      for (String setting : session) {
        out.println(setting + ";");
      }
      for (HqlScript script : tables.scripts()) {
        out.println();
        out.println("-- " + script.name());
        out.print(script.text());
      }
      return 0;
    }
    HqlScript query = null;
    if (line.hasOption("e")) {
      query = HqlScript.of("-e", line.getOptionValue("e"), variables);
    } else if (line.hasOption("f")) {
      query = HqlScript.file(java.nio.file.Path.of(line.getOptionValue("f")), variables);
    }
    try (Connection connection = connect(line)) {
      for (String setting : session) {
        execute(connection, setting);
      }
      if (tables != null) {
        tables.writeData(conf);
        createTables(connection, variables, tables);
      }
      if (query != null) {
        if (tables != null || databaseExists(connection, variables.get("database"))) {
          execute(connection, "USE " + variables.get("database"));
        }
        for (String statement : query.statements()) {
          run(connection, statement);
        }
      }
    }
    return 0;
  }

  private static void checkFlags(CommandLine line) throws UsageException {
    if (line.hasOption("e") && line.hasOption("f")) {
      throw new UsageException("give -e or -f, not both");
    }
    if (line.hasOption("print") && !line.hasOption("classified")) {
      throw new UsageException("--print needs --classified: it prints the tables' DDL");
    }
    if (!line.hasOption("print") && line.hasOption("embedded") == line.hasOption("jdbc")) {
      throw new UsageException("give --jdbc <url> or --embedded");
    }
    if (!line.hasOption("classified") && !line.hasOption("e") && !line.hasOption("f")) {
      throw new UsageException("nothing to do: give --classified, -e or -f");
    }
    for (String flag : List.of("blocks", "labels")) {
      if (line.hasOption(flag) && !line.hasOption("classified")) {
        throw new UsageException("--" + flag + " needs --classified");
      }
    }
  }

  /** The scripts' variables: the names from the flags, then every --hivevar. */
  private static Map<String, String> variables(CommandLine line) throws UsageException {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("database", identifier(line, "database", "tinytags"));
    variables.put("table", identifier(line, "table", "images"));
    variables.put("view", identifier(line, "view", "tags"));
    String[] assignments = line.getOptionValues("hivevar");
    for (String assignment : assignments == null ? new String[0] : assignments) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--hivevar wants name=value, not '" + assignment + "'");
      }
      String name = assignment.substring(0, eq);
      if (FLAG_VARIABLES.contains(name) && line.hasOption("classified")) {
        throw new UsageException("--hivevar " + name + " is set by the command: use --" + name);
      }
      if (INPUT_VARIABLES.contains(name)) {
        throw new UsageException("--hivevar " + name + " is set by the command: use "
            + "--classified, --blocks, --labels or --udf-jar");
      }
      variables.put(name, assignment.substring(eq + 1));
    }
    return variables;
  }

  /** Checks the classify output (and the manifest) and fills in the ddl/ scripts. */
  private static Tables plan(CommandLine line, Configuration conf, Map<String, String> variables)
      throws IOException, UsageException {
    Path blocksDir = null;
    BlockManifest manifest = null;
    if (line.hasOption("blocks")) {
      blocksDir = qualified(line.getOptionValue("blocks"), conf);
      manifest = BlockManifest.read(blocksDir.getFileSystem(conf), blocksDir);
    }
    Path dir = new Path(line.getOptionValue("classified"));
    ClassifiedOutput classified = ClassifiedOutput.check(dir.getFileSystem(conf), dir, manifest);
    Path labels = line.hasOption("labels")
        ? qualified(line.getOptionValue("labels"), conf) : null;
    if (labels != null) {
      TableData.checkLabels(labels.getFileSystem(conf), labels, manifest);
    }

    variables.put("classified", classified.dir().toString());
    variables.put("udf_jar", line.getOptionValue("udf-jar", defaultUdfJar()));
    List<HqlScript> scripts = new ArrayList<>();
    Map<String, String> locations = new LinkedHashMap<>();
    for (String script : List.of(DATABASE, FUNCTIONS, IMAGES, REPAIR)) {
      scripts.add(HqlScript.resource(script, variables));
    }
    locations.put(variables.get("table"), variables.get("classified"));
    if (blocksDir != null) {
      variables.put("blocks_data", TableData.blocksDir(blocksDir).toString());
      scripts.add(HqlScript.resource(BLOCKS, variables));
      locations.put("blocks", variables.get("blocks_data"));
    }
    if (labels != null) {
      variables.put("labels_data", TableData.labelsDir(labels).toString());
      scripts.add(HqlScript.resource(TRUE_LABELS, variables));
      locations.put("true_labels", variables.get("labels_data"));
    }
    scripts.add(HqlScript.resource(VIEW, variables));
    return new Tables(classified, blocksDir, manifest, labels, scripts, locations);
  }

  private static Path qualified(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).makeQualified(p);
  }

  private void createTables(Connection connection, Map<String, String> variables,
      Tables tables) throws SQLException, IOException {
    ClassifiedOutput classified = tables.classified();
    String table = variables.get("database") + "." + variables.get("table");
    // An external table over other files (another classify output, split or sidecar) is
    // dropped first, which leaves those files alone; the scripts then create it anew.
    String database = variables.get("database");
    for (Map.Entry<String, String> wanted : tables.locations().entrySet()) {
      String location = tableLocation(connection, database, wanted.getKey());
      if (location != null && !sameLocation(location, wanted.getValue())) {
        System.err.println("hive: " + database + "." + wanted.getKey() + " was over "
            + location + "; now over " + wanted.getValue());
        execute(connection, "DROP TABLE " + database + "." + wanted.getKey());
      }
    }
    for (HqlScript script : tables.scripts()) {
      for (String statement : script.statements()) {
        execute(connection, statement);
      }
    }
    long partitions = count(connection, "SHOW PARTITIONS " + table);
    if (partitions != classified.rowsByBlock().size()) {
      throw new IOException(table + " has " + partitions + " partitions after the repair, but "
          + classified.dir() + " has " + classified.rowsByBlock().size());
    }
    System.err.printf("hive: %s over %s: %,d partitions (blocks %d-%d), %,d rows; view %s.%s%n",
        table, classified.dir(), partitions, classified.rowsByBlock().firstKey(),
        classified.rowsByBlock().lastKey(), classified.rows(), variables.get("database"),
        variables.get("view"));
  }

  /** Runs one statement of -e / -f and prints its rows, if it has any. */
  private void run(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet rows = statement.getResultSet()) {
          print(rows);
        }
      }
    } catch (SQLException e) {
      throw failed(e, sql);
    }
  }

  /** A header line of column names, then a line a row, tab-separated; NULL for SQL NULL. */
  private void print(ResultSet rows) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int columns = meta.getColumnCount();
    List<String> values = new ArrayList<>(columns);
    for (int c = 1; c <= columns; c++) {
      values.add(meta.getColumnLabel(c));
    }
    out.println(String.join("\t", values));
    while (rows.next()) {
      values.clear();
      for (int c = 1; c <= columns; c++) {
        String value = rows.getString(c);
        values.add(value == null ? "NULL" : value);
      }
      out.println(String.join("\t", values));
    }
    out.flush();
  }

  /** Hive's message, and the statement's first line to say which one failed. */
  private static SQLException failed(SQLException e, String sql) {
    return new SQLException(e.getMessage() + "\n  in: " + sql.lines().findFirst().orElse(sql),
        e);
  }

  /** The HiveServer2 of --jdbc, or an embedded Hive configured for --metastore. */
  private static Connection connect(CommandLine line) throws SQLException, IOException {
    String url = line.getOptionValue("jdbc");
    if (line.hasOption("embedded")) {
      java.nio.file.Path metastore =
          java.nio.file.Path.of(line.getOptionValue("metastore", "work/hive")).toAbsolutePath();
      EmbeddedHive.configure(metastore);
      url = EmbeddedHive.URL;
      System.err.println("hive: in-process Hive, metastore and warehouse in " + metastore);
    }
    try {
      return DriverManager.getConnection(url, System.getProperty("user.name"), "");
    } catch (SQLException e) {
      throw new SQLException("could not connect to Hive at " + url + ": " + e.getMessage(), e);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw failed(e, sql);
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    long rows = 0;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows++;
      }
    }
    return rows;
  }

  private static boolean databaseExists(Connection connection, String database)
      throws SQLException {
    try (ResultSet schemas = connection.getMetaData().getSchemas(null, database)) {
      return schemas.next();
    }
  }

  /** The table's location as the metastore has it, or null if there is no such table. */
  private static String tableLocation(Connection connection, String database, String table)
      throws SQLException {
    if (!databaseExists(connection, database)) {
      return null;
    }
    try (ResultSet tables = connection.getMetaData().getTables(null, database, table, null)) {
      if (!tables.next()) {
        return null;
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("DESCRIBE FORMATTED " + database + "."
            + table)) {
      while (rows.next()) {
        String name = rows.getString(1);
        if (name != null && name.trim().equals("Location:")) {
          return rows.getString(2).trim();
        }
      }
    }
    return null;
  }

  /** file:/x and file:///x name the same directory. */
  private static boolean sameLocation(String a, String b) {
    return new Path(a).toUri().normalize().equals(new Path(b).toUri().normalize());
  }

  private static String identifier(CommandLine line, String flag, String defaultValue)
      throws UsageException {
    String value = line.getOptionValue(flag, defaultValue);
    if (!value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new UsageException("--" + flag + " must be a Hive name (letters, digits, _), not '"
          + value + "'");
    }
    return value;
  }

  /** The jar this JVM loaded the UDFs from, as a file URI. */
  private static String defaultUdfJar() throws UsageException {
    String jar = ClassUtil.findContainingJar(TagName.class);
    if (jar == null) {
      throw new UsageException("the UDF classes are not in a jar here: pass --udf-jar <uri>");
    }
    return java.nio.file.Path.of(jar).toUri().toString();
  }

  /** The child JVM's entry point: errors are reported as {@code tinytags <command>} does. */
  public static void main(String[] args) {
    int status;
    try {
      status = ToolRunner.run(new Configuration(), new HiveTool(), args);
    } catch (Exception e) {
      System.err.println("tinytags hive: " + e.getMessage());
      if (System.getenv("TINYTAGS_DEBUG") != null) {
        e.printStackTrace();
      } else {
        System.err.println("(set TINYTAGS_DEBUG=1 for the stack trace)");
      }
      status = 1;
    }
    System.exit(status);
  }
}
