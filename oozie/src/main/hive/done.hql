-- Last statement of the workflow's tables.hql: a mark that Beeline ran the script to its end.
-- Beeline 3.1 exits 0 when it cannot connect, without running a statement; the workflow's
-- hive-ran decision reads this mark, which the hive action deletes before it starts.
dfs -touchz ${hivevar:classified}/_hive_tables;
