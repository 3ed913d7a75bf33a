-- The external table over one classify output: its block=NNNNN/ directories are the
-- partitions. The columns are those of classify's ORC files (TagRow.SCHEMA) minus block, which
-- is the partition column; Hive maps ORC columns by name only with
--   SET orc.force.positional.evolution=false;
-- (Hive 4.0.1 defaults to by position, and the files carry block as their second column).
-- Variables: database, table (e.g. images), classified (the classify output's URI).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:database}.${hivevar:table} (
  image_id BIGINT COMMENT 'global image index = byte offset in the corpus / record size',
  `offset` BIGINT COMMENT 'byte offset of the record inside its block file',
  label INT COMMENT 'winning CIFAR-10 label 0-9 (ties to the lower label)',
  votes INT COMMENT 'trees voting for the label',
  trees INT COMMENT 'trees in the forest',
  agreement DOUBLE COMMENT 'votes / trees',
  class_votes ARRAY<INT> COMMENT 'trees voting for each label 0-9',
  tagged BOOLEAN COMMENT 'agreement >= the classify run''s --min-agreement')
COMMENT 'TinyTags classify output: one row per image'
PARTITIONED BY (block INT COMMENT 'block number of the split corpus')
STORED AS ORC
LOCATION '${hivevar:classified}';
