-- The rows of an images table as a person reads them: the class name instead of the label code,
-- agreement as a whole percent (floor(100 * votes / trees), as the search page shows it), the ten
-- class votes keyed by class name, the block file and the record's offset in it.
-- Needs functions.hql. Variables: database, table, view (e.g. tags).
CREATE OR REPLACE VIEW ${hivevar:database}.${hivevar:view}
COMMENT 'TinyTags tags, readable: one row per image'
AS SELECT
  image_id,
  ${hivevar:database}.tag_name(label) AS tag,
  (votes * 100) DIV trees AS agreement,
  tagged,
  votes,
  trees,
  ${hivevar:database}.class_votes_map(class_votes) AS class_votes,
  block,
  printf('block-%05d.bin', block) AS block_file,
  `offset`
FROM ${hivevar:database}.${hivevar:table};
