-- The queue cycle in SQL alone, as a pgbench script: what a take + call + finish must write at the least
-- (the day's number, the ticket, the counter, the transaction, an event and a notification per command),
-- sent by pgbench without the app. The queue benchmark runs it on its hall (`-D hall=… -D province=…
-- -D path=…`, one client per counter: counter number = client_id + 1), to show how far the database alone
-- lets the cycle go on this machine. The call takes the first waiting ticket of one queue; the app's call
-- decides by the counter's work profile instead.

-- take: the number (on its own, as the app draws it), then the ticket and its event
insert into queue_sequences (unit_id, local_date, prefix, last) values (:hall, current_date, 'A', 1)
  on conflict (unit_id, local_date, prefix) do update set last = queue_sequences.last + 1
  returning last \gset
with t as (
  insert into queue_tickets (province_id, id, unit_id, unit_path, local_date, seq, number, queue_code,
    category_code, channel, status, taken_at, waiting_since)
  values (:province, gen_random_uuid(), :hall, :path, current_date, :last,
    'A' || lpad(:last::text, greatest(3, length(:last::text)), '0'), 'normal', 'business', 'kiosk',
    'waiting', now(), now())
  returning id, number
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'device', 'kiosk', :hall, :path, 'ticket.taken', 'ticket',
    t.id::text, jsonb_build_object('ticketNumber', t.number, 'queue', 'normal', 'category', 'business')
  from t
)
select pg_notify('fuwu_bench_cycle', (select id::text from t));

-- call: the first waiting ticket of the queue (SKIP LOCKED), seated at the counter, with its event
with c as (
  select id from queue_tickets
  where unit_id = :hall and local_date = current_date and queue_code = 'normal' and status = 'waiting'
  order by priority desc, waiting_since, taken_at, id
  limit 1 for update skip locked
), t as (
  update queue_tickets q set status = 'called', called_at = now(), last_call_at = now(),
    first_called_at = now(), wait_seconds = 0, wait_limit_minutes = 30, call_wait_limit_minutes = 30,
    counter_id = k.id, staff_id = k.staff_id, staff_name = k.staff_name
  from c, queue_counters k
  where k.unit_id = :hall and k.number = :client_id + 1 and q.province_id = :province and q.id = c.id
  returning q.id, q.number, k.id as counter_id
), k as (
  update queue_counters set current_ticket_id = t.id from t where queue_counters.id = t.counter_id
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'ticket.called', 'ticket',
    t.id::text, jsonb_build_object('ticketNumber', t.number, 'counterId', t.counter_id)
  from t
)
select pg_notify('fuwu_bench_cycle', (select id::text from t));

-- finish: the ticket done, its transaction measured, the counter freed, with its event
with t as (
  update queue_tickets set status = 'done', started_at = called_at, finished_at = now(), outcome = 'served',
    business = '{bench}'
  where province_id = :province and status = 'called'
    and id = (select current_ticket_id from queue_counters where unit_id = :hall and number = :client_id + 1)
  returning *
), x as (
  insert into queue_transactions (province_id, id, ticket_id, unit_id, unit_path, local_date, counter_id,
    staff_id, staff_name, queue_code, category_code, vip, channel, waiting_since, called_at, started_at,
    ended_at, outcome, wait_seconds, wait_limit_minutes, transaction_seconds, transaction_limit_minutes)
  select province_id, gen_random_uuid(), id, unit_id, unit_path, local_date, counter_id, staff_id, staff_name,
    queue_code, category_code, vip, channel, waiting_since, called_at, called_at, now(), 'served', 0, 30,
    0, 10
  from t
), k as (
  update queue_counters set current_ticket_id = null where id = (select counter_id from t)
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'ticket.finished', 'ticket',
    t.id::text, jsonb_build_object('ticketNumber', t.number, 'outcome', 'served')
  from t
)
select pg_notify('fuwu_bench_cycle', (select id::text from t));
