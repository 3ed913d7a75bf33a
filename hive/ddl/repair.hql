-- Brings the partitions of an images table in line with its directory: adds a partition for
-- every new block=NNNNN/ directory and drops those whose directory is gone.
-- Variables: database, table.
MSCK REPAIR TABLE ${hivevar:database}.${hivevar:table} SYNC PARTITIONS;
