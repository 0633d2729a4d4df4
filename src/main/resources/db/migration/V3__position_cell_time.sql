-- Area-and-window queries ("everything inside this box during this window") on a space-and-time
-- key instead of a purely spatial one. Chosen by measurement over 12.4 million rows
-- (docs/benchmarks.md; reasoning in ARCHITECTURE.md, "Index choice"):
--
-- * position_cell_time: a btree on (tenant_id, grid cell, event_time). The cell is a fixed grid of
--   0.05° (about 5.5 km of latitude), numbered column * 3601 + row; GridCells computes the cells
--   covering a query's boxes with the same arithmetic, and the expression below must stay exactly
--   the one in GridCells.SQL. Each covered cell is one index range already restricted to the time
--   window, where SP-GiST on pos found every point of the box for the whole day partition and
--   filtered the window afterwards.
-- * position_event_time_brin: the time window alone, for areas too large to list their cells.
--
-- The SP-GiST index on pos goes: nothing else queries it, and it was the costliest index to
-- maintain at ingest. The generated pos column stays: it is the exact box test of every row.
create index position_cell_time on position
    (tenant_id, ((floor((lon + 180) / 0.05::float8))::int * 3601 + (floor((lat + 90) / 0.05::float8))::int), event_time);
create index position_event_time_brin on position using brin (event_time);
drop index position_pos;
