-- The grid cell of a position as a stored column, and the area index on it.
--
-- V3 indexed the cell as an expression. Under row-level security (every tenant query runs as
-- sextant_tenant) PostgreSQL may use a query's condition as an index condition only when every
-- function in it is leakproof, so that it cannot reveal rows the policy hides: the float and integer
-- arithmetic of the cell expression is not (it can raise an overflow error), so the planner kept it
-- as a filter and read the whole time window of the tenant — 0.4 s where the index answers in
-- 10 ms over 1.8 million rows. `cell = any(...)` on a column is a plain integer comparison, which
-- is leakproof, so the index is used under the policy as it is by the owner.
--
-- The expression is exactly V3's and GridCells.SQL's (GridCellsIT holds the JVM to it). Adding a
-- stored generated column rewrites the table: on a large existing history this migration takes
-- time and needs the table's size again on disk while it runs.
alter table position
    add column cell integer generated always as
        ((floor((lon + 180) / 0.05::float8))::int * 3601 + (floor((lat + 90) / 0.05::float8))::int) stored;
create index position_cell on position (tenant_id, cell, event_time);
drop index position_cell_time;
