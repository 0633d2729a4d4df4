-- Exits and dwells remember when their stay began, so that a correction can tell an exit whose
-- stay changed from one that did not (and retract it); every transition remembers the time of the
-- fix that confirmed it, so that a late-data replay knows which earlier crossing it may start from.

alter table fence_transition
    add column entered_at   timestamptz,
    add column confirmed_at timestamptz;

-- Rows from before: the stay of an exit or dwell began at the last entry before it. Their
-- confirmation stays unknown (null), which a replay treats with caution.
update fence_transition t
   set entered_at = (select max(e.time) from fence_transition e
                     where e.tenant_id = t.tenant_id and e.asset_id = t.asset_id and e.zone_id = t.zone_id
                       and e.kind = 'entered' and not e.retracted and e.time < t.time)
 where t.kind in ('exited', 'dwell');
