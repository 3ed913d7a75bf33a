package org.tinytags.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} substitution, strict: a name with no value is an error naming the template,
 * never an empty string in a configuration file. Values may refer to other values
 * ({@code dirs.data=${state}/data}); a cycle is an error too. {@code $${} } writes a literal
 * {@code ${}, for the files whose own syntax uses it (Oozie's log4j file, Hadoop's
 * {@code ${hadoop.log.dir}}).
 */
public final class Templates {
  private static final Pattern VARIABLE = Pattern.compile("\\$(\\$?)\\{([A-Za-z0-9_.-]+)}");

  private final Map<String, String> values;

  public Templates(Map<String, String> values) {
    this.values = new java.util.HashMap<>(values);
  }

  /** Adds or replaces a value (one instance's, before rendering its files). */
  public void put(String name, String value) {
    values.put(name, value);
  }

  /** {@code text} with every variable replaced; {@code template} names it in errors. */
  public String render(String template, String text) {
    return render(template, text, new ArrayDeque<>());
  }

  /** The resolved value of one variable. */
  public String value(String name) {
    return render("value of " + name, "${" + name + "}");
  }

  private String render(String template, String text, Deque<String> resolving) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      String replacement;
      if (!m.group(1).isEmpty()) {
        replacement = "${" + name + "}";
      } else {
        if (resolving.contains(name)) {
          throw new IllegalArgumentException(template + ": ${" + name + "} refers to itself ("
              + String.join(" -> ", resolving) + " -> " + name + ")");
        }
        String value = values.get(name);
        if (value == null) {
          throw new IllegalArgumentException(template + ": no value for ${" + name + "}");
        }
        resolving.push(name);
        replacement = render(template, value, resolving);
        resolving.pop();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
