package org.tinytags.index;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.apache.hadoop.io.Writable;
import org.apache.orc.mapred.OrcStruct;
import org.apache.solr.common.SolrInputDocument;
import org.tinytags.classify.TagRow;
import org.tinytags.image.CifarClasses;
import org.tinytags.solr.IndexFields;
import org.tinytags.train.ForestModel;

/**
 * What the index keeps of a classify row, and the Solr document made from it: the map output
 * value of {@link IndexJob} and the one place the document's fields are filled in.
 */
public class TaggedImage implements Writable {
  private long imageId;
  private int block;
  private long offset;
  private int label;
  private int votes;
  private int trees;
  private final int[] classVotes = new int[CifarClasses.COUNT];

  /** Fills this object from a classify row. */
  public TaggedImage set(OrcStruct row) {
    imageId = TagRow.imageId(row);
    block = TagRow.block(row);
    offset = TagRow.offset(row);
    label = TagRow.label(row);
    votes = TagRow.votes(row);
    trees = TagRow.trees(row);
    TagRow.classVotes(row, classVotes);
    return this;
  }

  public long imageId() {
    return imageId;
  }

  public int block() {
    return block;
  }

  /**
   * The agreement in whole percent, rounded down so that a filter {@code agreement >= p} never
   * admits an image whose votes / trees is below p %.
   */
  public static int agreementPercent(int votes, int trees) {
    return (int) (100L * votes / trees);
  }

  public SolrInputDocument toDocument() {
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField(IndexFields.ID, Long.toString(imageId));
    doc.setField(IndexFields.IMAGE, imageId);
    doc.setField(IndexFields.BLOCK, block);
    doc.setField(IndexFields.OFFSET, offset);
    doc.setField(IndexFields.LABEL, CifarClasses.name(label));
    doc.setField(IndexFields.AGREEMENT, agreementPercent(votes, trees));
    doc.setField(IndexFields.VOTES, votes);
    doc.setField(IndexFields.TREES, trees);
    for (int c = 0; c < CifarClasses.COUNT; c++) {
      doc.setField(IndexFields.classVotes(c), classVotes[c]);
    }
    return doc;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(imageId);
    out.writeInt(block);
    out.writeLong(offset);
    out.writeShort(trees);
    for (int v : classVotes) {
      out.writeShort(v);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    imageId = in.readLong();
    block = in.readInt();
    offset = in.readLong();
    trees = in.readUnsignedShort();
    for (int c = 0; c < CifarClasses.COUNT; c++) {
      classVotes[c] = in.readUnsignedShort();
    }
    label = ForestModel.winner(classVotes);
    votes = classVotes[label];
  }
}
