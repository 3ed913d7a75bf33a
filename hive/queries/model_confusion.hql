-- How two models' tags of the same corpus compare: images per (label of model A, label of
-- model B), joined on image_id; the diagonal is where they agree. Variables: database,
-- table_a, table_b (two images tables over classify outputs of the same split).
SELECT ${hivevar:database}.tag_name(a.label) AS tag_a,
       ${hivevar:database}.tag_name(b.label) AS tag_b,
       count(*) AS images
FROM ${hivevar:database}.${hivevar:table_a} a
JOIN ${hivevar:database}.${hivevar:table_b} b ON a.image_id = b.image_id
GROUP BY a.label, b.label
ORDER BY tag_a, tag_b;
