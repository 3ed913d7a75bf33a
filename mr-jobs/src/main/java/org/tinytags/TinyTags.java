package org.tinytags;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ToolRunner;
import org.tinytags.cli.Command;
import org.tinytags.cli.OozieAction;
import org.tinytags.cli.HiveLauncher;
import org.tinytags.benchmark.ClassifyBenchmark;
import org.tinytags.benchmark.PlanBenchmark;
import org.tinytags.classify.ClassifyJob;
import org.tinytags.data.FetchCifar;
import org.tinytags.demo.Demo;
import org.tinytags.golive.GoLive;
import org.tinytags.index.IndexJob;
import org.tinytags.golive.Reindex;
import org.tinytags.golive.SolrCommand;
import org.tinytags.oozie.OozieCommand;
import org.tinytags.validate.ValidateJob;
import org.tinytags.evaluate.EvaluateJob;
import org.tinytags.data.MakeCorpus;
import org.tinytags.split.SplitJob;
import org.tinytags.train.TrainJob;

/**
 * The job jar's entry point: {@code hadoop jar tinytags-job.jar <command> ...} on a cluster,
 * {@code bin/tinytags <command> ...} locally. Each command is a {@link Command} run through
 * {@link ToolRunner}, so Hadoop's generic options work with all of them.
 */
public final class TinyTags {
  private static final String HIVE = "hive";

  private TinyTags() {}

  /**
   * The commands, in pipeline order, then those other modules on the class path add through
   * {@link ServiceLoader} (the web app's {@code serve} and {@code bench search}).
   */
  static List<Command> commands() {
    List<Command> commands = new ArrayList<>(List.of(new FetchCifar(), new MakeCorpus(),
        new SplitJob(), new TrainJob(), new EvaluateJob(), new ClassifyJob(), new ValidateJob(),
        new IndexJob(),
        new SolrCommand(), new GoLive(), new Reindex(), new OozieCommand(), new Demo(),
        new ClassifyBenchmark(), new PlanBenchmark()));
    ServiceLoader.load(Command.class).forEach(commands::add);
    return commands;
  }

  /** The command called {@code name}, or null if none is on the class path. */
  public static Command command(String name) {
    return commands().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  public static void main(String[] args) {
    if (OozieAction.running()) {
      // Returning is success; a failure is thrown with its message for the workflow to show.
      OozieAction.run(args, a -> run(OozieAction.configuration(), a));
      return;
    }
    System.exit(run(new Configuration(), args));
  }

  public static int run(Configuration conf, String[] args) {
    if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
      printCommands();
      return args.length == 0 ? 1 : 0;
    }
    if (args[0].equals(HIVE)) {
      // Hive runs in a JVM of its own (HiveLauncher), which parses the flags itself.
      try {
        return HiveLauncher.run(List.of(args).subList(1, args.length));
      } catch (Exception e) {
        System.err.println("tinytags hive: " + e.getMessage());
        return 1;
      }
    }
    // Two-word commands ("bench classify") take the second word too.
    int words = args[0].equals("bench") && args.length > 1 ? 2 : 1;
    String name = String.join(" ", List.of(args).subList(0, words));
    Command command = command(name);
    if (command == null) {
      System.err.println("tinytags: unknown command '" + name + "'");
      printCommands();
      return 1;
    }
    // The local job runner runs one map at a time unless told otherwise; use every core.
    conf.setIfUnset("mapreduce.local.map.tasks.maximum",
        String.valueOf(Runtime.getRuntime().availableProcessors()));
    try {
      return ToolRunner.run(conf, command, List.of(args).subList(words, args.length)
          .toArray(new String[0]));
    } catch (Exception e) {
      System.err.println("tinytags " + command.name() + ": " + e.getMessage());
      if (System.getenv("TINYTAGS_DEBUG") != null) {
        e.printStackTrace();
      } else {
        System.err.println("(set TINYTAGS_DEBUG=1 for the stack trace)");
      }
      return 1;
    }
  }

  private static void printCommands() {
    System.out.println("usage: tinytags <command> [generic options] [flags]   "
        + "(tinytags <command> --help for its flags)");
    System.out.println();
    System.out.println("commands:");
    for (Command c : commands()) {
      System.out.printf("  %-16s %s%n", c.name(), c.summary());
    }
    System.out.printf("  %-16s %s%n", HIVE, "Create or update the Hive tables over a classify "
        + "output, then run SQL (-e, -f); its own JVM");
  }
}
