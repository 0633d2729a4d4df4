-- Area-and-window queries ("everything inside this box during this window"): a BRIN index on
-- event_time beside the SP-GiST index on pos. Within a daily partition, SP-GiST alone finds every
-- point of the box for the whole day and filters the window afterwards; with the BRIN summary of
-- each block range's times PostgreSQL intersects the two (BitmapAnd) and reads only the blocks of
-- the window. Rows arrive roughly in event-time order, which is what BRIN needs; late data only
-- widens a few ranges. The index is a few hundred kB for millions of rows and costs next to nothing
-- at ingest. Measured in docs/benchmarks.md; the reasoning is in ARCHITECTURE.md ("Index choice").
create index position_event_time_brin on position using brin (event_time);
