package org.tinytags.udf;

import java.util.List;

import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;

/** Every TinyTags function: what {@code ddl/functions.hql} registers, one per class. */
public final class Functions {
  public static final List<GenericUDF> ALL = List.of(new TagName(), new TagId(),
      new AgreementBand(), new ClassVotesMap(), new RunnerUp(), new ThumbnailUrl(),
      new ImageLocation());

  private Functions() {}
}
