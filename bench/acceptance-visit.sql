-- A visit (一台清) in SQL alone, as a pgbench script: what a walk-in visit of three pieces of business with a
-- payment, a signature and its closing must write at the least — the visit, three transaction lines each with
-- its subscription change, the payment, the signed document (a PDF-sized bytea and its hash), the closing,
-- and an event with its notification per command — sent by pgbench without the app. The acceptance benchmark
-- runs it on its hall (`-D hall=… -D province=… -D path=… -D counter=… -D customer=… -D sub=…`) as the
-- baseline of the same visit done through the HTTP API.

-- open
with v as (
  insert into visits (province_id, id, unit_id, unit_path, local_date, counter_id, staff_name, customer_id,
    catalogue_unit_id, catalogue_version, status, opened_at)
  values (:province, gen_random_uuid(), :hall, :path, current_date, gen_random_uuid(), 'clerk', :customer,
    :province, 'hq-2009.1', 'open', now())
  returning id
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.opened', 'visit', v.id::text,
    jsonb_build_object('visitId', v.id, 'customerId', :customer::text)
  from v
)
select id as visit from v \gset
select pg_notify('fuwu_bench_visit', :visit::text);

-- three pieces of business: the line, the subscription's change, the event
with l as (
  insert into visit_lines (province_id, id, visit_id, unit_id, unit_path, seq, business_code, business_zh,
    business_en, subscription_id, values, fee_fen, identity_method, changes, status, entered_at, completed_at)
  values (:province, gen_random_uuid(), :visit::uuid, :hall, :path, 1, 'plan_change', '套餐变更', 'Plan change', :sub,
    '{"plan":"4G-99"}', 0, 'id_document', '[{"op":"set_plan","plan":"4G-99"}]', 'done', now(), now())
  returning id
), s as (
  update subscriptions set plan = '4G-99', updated_at = now() where province_id = :province and id = :sub
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.transaction_added',
    'visit_line', l.id::text, jsonb_build_object('visitId', :visit::text, 'businessCode', 'plan_change', 'feeFen', 0)
  from l
)
select pg_notify('fuwu_bench_visit', :visit::text);
with l as (
  insert into visit_lines (province_id, id, visit_id, unit_id, unit_path, seq, business_code, business_zh,
    business_en, subscription_id, values, fee_fen, identity_method, changes, status, entered_at, completed_at)
  values (:province, gen_random_uuid(), :visit::uuid, :hall, :path, 2, 'sim_replace', '补换卡', 'SIM replacement', :sub,
    '{"iccid":"89860112345678901234"}', 1000, 'id_document', '[{"op":"set_sim","iccid":"89860112345678901234"}]',
    'done', now(), now())
  returning id
), s as (
  update subscriptions set iccid = '89860112345678901234', updated_at = now()
  where province_id = :province and id = :sub
), v as (
  update visits set total_fen = total_fen + 1000 where province_id = :province and id = :visit::uuid
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.transaction_added',
    'visit_line', l.id::text, jsonb_build_object('visitId', :visit::text, 'businessCode', 'sim_replace', 'feeFen', 1000)
  from l
)
select pg_notify('fuwu_bench_visit', :visit::text);
with l as (
  insert into visit_lines (province_id, id, visit_id, unit_id, unit_path, seq, business_code, business_zh,
    business_en, subscription_id, values, fee_fen, identity_method, changes, status, entered_at, completed_at)
  values (:province, gen_random_uuid(), :visit::uuid, :hall, :path, 3, 'bill_payment', '缴费', 'Bill payment', :sub,
    '{"amount":5000}', 5000, 'none', '[]', 'done', now(), now())
  returning id
), v as (
  update visits set total_fen = total_fen + 5000 where province_id = :province and id = :visit::uuid
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.transaction_added',
    'visit_line', l.id::text, jsonb_build_object('visitId', :visit::text, 'businessCode', 'bill_payment', 'feeFen', 5000)
  from l
)
select pg_notify('fuwu_bench_visit', :visit::text);

-- the payment
with p as (
  insert into visit_payments (province_id, id, visit_id, unit_id, local_date, method, amount_fen, tendered_fen,
    change_fen, at)
  values (:province, gen_random_uuid(), :visit::uuid, :hall, current_date, 'cash', 6000, 10000, 4000, now())
  returning id
), v as (
  update visits set paid_fen = 6000 where province_id = :province and id = :visit::uuid
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.payment_added', 'visit',
    :visit::text, jsonb_build_object('method', 'cash', 'amountFen', 6000)
  from p
)
select pg_notify('fuwu_bench_visit', :visit::text);

-- the signature: the document (about the size of a one-page PDF with its font subset, and a signature image)
with d as (
  insert into visit_documents (province_id, id, visit_id, content, signature_png, pdf, sha256, signed_at)
  select :province, gen_random_uuid(), :visit::uuid, '{"lines":3,"totalFen":6000}'::jsonb,
    decode(repeat('89504e47', 1500), 'hex'), decode(repeat('25504446', 15000), 'hex'), md5(random()::text), now()
  returning id
), v as (
  update visits set status = 'signed', signed_at = now() where province_id = :province and id = :visit::uuid
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.signed', 'visit', :visit::text,
    jsonb_build_object('documentId', d.id)
  from d
)
select pg_notify('fuwu_bench_visit', :visit::text);

-- the closing
with v as (
  update visits set status = 'closed', closed_at = now() where province_id = :province and id = :visit::uuid
  returning id
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', 'clerk', :hall, :path, 'visit.closed', 'visit', v.id::text,
    jsonb_build_object('totalFen', 6000)
  from v
)
select pg_notify('fuwu_bench_visit', :visit::text);
