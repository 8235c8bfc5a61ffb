-- Cortado broker schema on PostgreSQL, version 2: `messages` keeps room in
-- every page so that a receive's UPDATE (the delivery columns, none of them
-- indexed) is a HOT update: the new row version goes in the same page and
-- the primary key gains no entry, so the UPDATE writes one WAL record a
-- message instead of two and the index does not grow with every receive.
-- A message lives seconds (sent, received, deleted), so its page's dead
-- versions are pruned by the next access to the page; fillfactor applies to
-- pages filled from now on (existing pages keep their rows).
--
-- Autovacuum: the defaults wait for 20% of the table to be dead, which on a
-- table whose rows all die is a vacuum pass per table's worth of traffic;
-- a fixed threshold instead keeps the free-space map current so inserts
-- reuse the pages that deletes emptied (the table stays the size of the
-- backlog, not of the traffic).
ALTER TABLE messages SET (
  fillfactor = 50,
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 10000,
  autovacuum_vacuum_insert_scale_factor = 0,
  autovacuum_vacuum_insert_threshold = 10000,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 10000
);
