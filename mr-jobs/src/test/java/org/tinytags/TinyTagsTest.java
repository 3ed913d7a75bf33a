package org.tinytags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tinytags.cli.OozieAction;
import org.tinytags.testing.LocalHadoop;
import org.tinytags.testing.LocalHadoop.Run;

class TinyTagsTest {
  @Test
  void helpListsEveryCommand() {
    Run help = LocalHadoop.tinytags("--help");
    assertEquals(0, help.status());
    for (String command : new String[] {"fetch-cifar", "make-corpus", "split"}) {
      assertTrue(help.out().contains("  " + command + " "), help.out());
    }
    assertEquals(1, LocalHadoop.tinytags().status());
  }

  @Test
  void commandHelpExplainsFlagsAndGenericOptions() {
    Run help = LocalHadoop.tinytags("split", "--help");
    assertEquals(0, help.status());
    for (String flag : new String[] {"--input", "--layout", "--images-per-block", "--output",
        "--overwrite", "-D <property=value>"}) {
      assertTrue(help.out().contains(flag), help.out());
    }
  }

  @Test
  void unknownCommandsAndFlagsAreUsageErrors() {
    Run unknown = LocalHadoop.tinytags("splt");
    assertEquals(1, unknown.status());
    assertTrue(unknown.err().contains("unknown command 'splt'"));
    Run flag = LocalHadoop.tinytags("split", "--imgs", "4");
    assertEquals(1, flag.status());
    assertTrue(flag.err().contains("Unrecognized option: --imgs"), flag.err());
    Run missing = LocalHadoop.tinytags("split", "--layout", "tiny");
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("--input is required"), missing.err());
  }

  @Test
  void underAnOozieLauncherAFailureIsThrownWithTheCommandsErrorAndSuccessReturns() {
    System.setProperty(OozieAction.ACTION_ID, "0000001-261203000000000-oozie-W@split");
    try {
      var failed = assertThrows(OozieAction.CommandFailedException.class,
          () -> TinyTags.main(new String[] {"split", "--layout", "tiny"}));
      assertEquals(1, failed.status());
      assertEquals("tinytags split: --input is required", failed.getMessage());
      var unknown = assertThrows(OozieAction.CommandFailedException.class,
          () -> TinyTags.main(new String[] {"splt"}));
      assertEquals("tinytags: unknown command 'splt'", unknown.getMessage());
      TinyTags.main(new String[] {"split", "--help"});
    } finally {
      System.clearProperty(OozieAction.ACTION_ID);
    }
  }
}
