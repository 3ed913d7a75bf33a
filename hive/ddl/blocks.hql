-- One row per block of the split corpus, from its _manifest.json. `bin/tinytags hive --blocks`
-- writes the rows (tab-separated) into blocks_data from the manifest; never edit them by hand.
-- Variables: database, blocks_data (the directory holding the rows).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:database}.blocks (
  block INT COMMENT 'block number',
  file STRING COMMENT 'block file name inside the split output',
  first_image BIGINT COMMENT 'global index of its first image',
  images BIGINT COMMENT 'images it holds',
  bytes BIGINT COMMENT 'its length in bytes',
  sha256 STRING COMMENT 'hex SHA-256 of its bytes')
COMMENT 'TinyTags split manifest: one row per block file'
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t'
STORED AS TEXTFILE
LOCATION '${hivevar:blocks_data}';
