package org.tinytags.hive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HiveQL script: the text of an {@code .hql} file with its {@code ${hivevar:name}} variables
 * filled in here, on the client (so {@code --print} shows exactly what runs), split into
 * statements the way Beeline splits them: at semicolons outside quotes and comments.
 *
 * @param name where the text came from (a file, a resource, "-e"), for messages
 * @param text the script with every variable filled in
 */
public record HqlScript(String name, String text) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{hivevar:([A-Za-z0-9_.]+)}");
  /** Where the project's DDL and queries sit in the hive module's jar. */
  private static final String RESOURCES = "/org/tinytags/hive/";

  /** One of the module's own scripts: {@code ddl/images.hql}, {@code queries/...}. */
  public static HqlScript resource(String path, Map<String, String> variables)
      throws IOException {
    try (InputStream in = HqlScript.class.getResourceAsStream(RESOURCES + path)) {
      if (in == null) {
        throw new IOException("no script " + path + " in the hive module");
      }
      return of(path, new String(in.readAllBytes(), StandardCharsets.UTF_8), variables);
    }
  }

  public static HqlScript file(Path file, Map<String, String> variables) throws IOException {
    return of(file.toString(), Files.readString(file), variables);
  }

  /** Fills in {@code variables}; fails naming every variable the script uses but was not given. */
  public static HqlScript of(String name, String text, Map<String, String> variables)
      throws IOException {
    TreeSet<String> missing = new TreeSet<>();
    Matcher m = VARIABLE.matcher(text);
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        missing.add(m.group(1));
        value = m.group();
      }
      m.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    m.appendTail(filled);
    if (!missing.isEmpty()) {
      throw new IOException(name + " needs " + String.join(", ", missing.stream()
          .map(v -> "${hivevar:" + v + "}").toList()) + ": pass --hivevar "
          + missing.first() + "=...");
    }
    return new HqlScript(name, filled.toString());
  }

  /** The statements, without their semicolons, comments or surrounding blanks. */
  public List<String> statements() {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && quote != '`' && i + 1 < text.length()) {
          current.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
      } else if (c == ';') {
        add(statements, current);
      } else {
        if (c == '\'' || c == '"' || c == '`') {
          quote = c;
        }
        current.append(c);
      }
    }
    add(statements, current);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
