package org.tinytags.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Function;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.GenericOptionsParser;
import org.apache.hadoop.util.Tool;

/**
 * A TinyTags command: a Hadoop {@link Tool} with long-option flags and a {@code --help}.
 *
 * <p>{@code ToolRunner} has already taken Hadoop's generic options ({@code -D}, {@code -fs}, {@code
 * -jt}, {@code -files}) off the argument list, so subclasses see only their own flags. Bad flags
 * print the usage and return 1; a {@link UsageException} thrown while running does the same, and
 * any other failure is left to propagate with its own message.
 */
public abstract class Command extends Configured implements Tool {

  /** Wrong or missing flags: reported with the usage, exit status 1. */
  public static class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** The name users type after {@code tinytags}. */
  public abstract String name();

  /** One line for {@code tinytags --help}. */
  public abstract String summary();

  protected abstract Options options();

  protected abstract int run(CommandLine line) throws Exception;

  /** What the command takes besides flags, for its usage line ({@code create}), or null. */
  protected String arguments() {
    return null;
  }

  @Override
  public final int run(String[] args) throws Exception {
    Options options = options();
    options.addOption(Option.builder().longOpt("help").desc("show this help").build());
    CommandLine line;
    try {
      line = new DefaultParser().parse(options, args);
    } catch (ParseException e) {
      return usageError(options, e.getMessage());
    }
    if (line.hasOption("help")) {
      printUsage(options, System.out);
      return 0;
    }
    if (arguments() == null && !line.getArgList().isEmpty()) {
      return usageError(options, "unexpected arguments: " + String.join(" ", line.getArgList()));
    }
    try {
      return run(line);
    } catch (UsageException e) {
      return usageError(options, e.getMessage());
    }
  }

  private int usageError(Options options, String message) {
    System.err.println("tinytags " + name() + ": " + message);
    printUsage(options, System.err);
    return 1;
  }

  private void printUsage(Options options, PrintStream out) {
    PrintWriter writer = new PrintWriter(out);
    HelpFormatter help = new HelpFormatter();
    help.setOptionComparator(null);
    help.printHelp(writer, 100, "tinytags " + name() + " [generic options] "
        + (arguments() == null ? "" : arguments() + " ") + "[flags]",
        summary() + "\n\nFlags:", options, 2, 4, "");
    writer.flush();
    GenericOptionsParser.printGenericCommandUsage(out);
  }

  // Typed flag readers: every parse error names the flag and the value.

  protected static String required(CommandLine line, String flag) throws UsageException {
    String value = line.getOptionValue(flag);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + flag + " is required");
    }
    return value;
  }

  protected static long longFlag(CommandLine line, String flag, long defaultValue)
      throws UsageException {
    String value = line.getOptionValue(flag);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + flag + " must be a whole number, not '" + value + "'");
    }
  }

  protected static long positiveLong(CommandLine line, String flag, Long defaultValue)
      throws UsageException {
    if (defaultValue == null && !line.hasOption(flag)) {
      throw new UsageException("--" + flag + " is required");
    }
    long value = longFlag(line, flag, defaultValue == null ? 0 : defaultValue);
    if (value <= 0) {
      throw new UsageException("--" + flag + " must be greater than 0, not " + value);
    }
    return value;
  }

  /**
   * Parses a flag with {@code parser}, which throws IllegalArgumentException for bad values;
   * a null {@code defaultValue} makes the flag required.
   */
  protected static <T> T parsed(CommandLine line, String flag, String defaultValue,
      Function<String, T> parser) throws UsageException {
    String value = defaultValue == null ? required(line, flag)
        : line.getOptionValue(flag, defaultValue);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + flag + ": " + e.getMessage());
    }
  }

  protected static Option flag(String name, String argName, String description) {
    return Option.builder().longOpt(name).hasArg().argName(argName).desc(description).build();
  }

  protected static Option toggle(String name, String description) {
    return Option.builder().longOpt(name).desc(description).build();
  }
}
