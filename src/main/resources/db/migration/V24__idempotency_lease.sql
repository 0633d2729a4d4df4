-- An Idempotency-Key's claim is a lease. A request that dies with its process (kill -9, a lost
-- node) leaves a claim without a response; once its lease has run out, a retry takes it over and
-- runs (before, the retry was refused as "still running" until the key's whole TTL had passed).
-- claim_id names the request that holds the claim, so a request that outlives its lease cannot
-- complete or release the claim of the request that took over.
alter table idempotency_record add column claim_id uuid;

-- Claims left by a crash before this version expire like any other lease.
update idempotency_record
   set expires_at = least(expires_at, now() + interval '2 minutes')
 where response_status is null;

-- An answer that must not be stored in the clear (Cache-Control: no-store: it holds a new API key,
-- a client secret or a webhook signing secret) is remembered sealed by the secrets cipher, under
-- the key that lives outside the database.
alter table idempotency_record add column response_sealed boolean not null default false;
