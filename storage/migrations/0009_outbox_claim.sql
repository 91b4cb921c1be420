-- The dispatcher claims the next due deliveries, one per recipient, several times a second while
-- a broadcast is sending. "Is there an earlier pending row for this recipient?" is answered by
-- this small index (pending rows only) instead of grouping every pending row at each claim
-- (9 ms with 5,000 pending, in the way of the 30-a-second pace; now well under a millisecond).
CREATE INDEX deliveries_pending_recipient ON deliveries(recipient_id, id) WHERE status = 'pending';
