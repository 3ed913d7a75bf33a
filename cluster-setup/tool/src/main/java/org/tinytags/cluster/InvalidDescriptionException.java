package org.tinytags.cluster;

import java.util.List;

/** A cluster description that cannot be used; the message lists every problem found. */
public class InvalidDescriptionException extends Exception {
  private final List<String> problems;

  public InvalidDescriptionException(String source, List<String> problems) {
    super(source + ": " + (problems.size() == 1 ? problems.get(0)
        : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
