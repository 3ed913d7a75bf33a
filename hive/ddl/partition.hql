-- One block's partition, registered again: after `classify --only N` replaced its directory, or
-- to add a block by hand. Variables: database, table, block (e.g. 7), partition_location (the
-- block's directory, e.g. hdfs://nn:8020/tags/block=00007).
ALTER TABLE ${hivevar:database}.${hivevar:table} DROP IF EXISTS PARTITION (block=${hivevar:block});
ALTER TABLE ${hivevar:database}.${hivevar:table} ADD PARTITION (block=${hivevar:block})
  LOCATION '${hivevar:partition_location}';
