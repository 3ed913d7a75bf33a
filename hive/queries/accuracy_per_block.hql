-- Accuracy per block against the true labels of a make-corpus corpus (table true_labels, see
-- ddl/true_labels.hql): all images and the tagged ones. Variables: database, table.
SELECT i.block,
       count(*) AS images,
       avg(IF(i.label = t.label, 1.0, 0.0)) AS accuracy,
       sum(IF(i.tagged, 1, 0)) AS tagged,
       sum(IF(i.tagged AND i.label = t.label, 1, 0)) / sum(IF(i.tagged, 1, 0)) AS tagged_precision
FROM ${hivevar:database}.${hivevar:table} i
JOIN ${hivevar:database}.true_labels t ON i.image_id = t.image_id
GROUP BY i.block
ORDER BY i.block;
