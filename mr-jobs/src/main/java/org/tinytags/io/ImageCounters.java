package org.tinytags.io;

/** Hadoop counters for image records, shown with every job that reads them. */
public enum ImageCounters {
  /** Records handed to a mapper. */
  RECORDS_READ
}
