-- A work order's life in SQL alone, as a pgbench script: what taking a complaint in at a hall, the province
-- centre claiming it and dispatching it to the city's department, the department answering back, the centre
-- handling it, the owner replying (an SMS queued) and closing must write at the least — the order, its
-- timeline step and event per command, its due-time rows, the hop — sent by pgbench without the app. The
-- work-orders benchmark runs it (`-D province=… -D hall=… -D hallpath=… -D centre=… -D centrepath=…
-- -D dept=… -D deptpath=… -D category=… -D owner=… -D agent=…`) as the baseline of the same life through
-- the HTTP API. (pgbench reads a colon followed by a name as a variable, even inside a string literal.)

-- create: the order, its two due-time rows, the step, the event
\set n random(1, 1000000000)
with o as (
  insert into work_orders (province_id, id, number, kind, channel, state, priority, contact_phone,
    contact_phone_hash, category_id, concerns_unit_id, concerns_unit_path, title, description, attributes,
    owner_staff_id, owner_name, owner_unit_id, owner_unit_path, handling_unit_id, handling_unit_path, paths,
    policy_id, targets, escalation, pause_states, calendar_unit_id, response_due_at, resolution_due_at,
    created_at)
  values (:province, gen_random_uuid(), 'GDSQL' || :n, 'complaint', 'counter', 'new', 'normal', '13900000000',
    md5('13900000000'), :category, :hall, :hallpath, '营业员态度差', '客户反映', '{}', :owner, '朱红', :hall,
    :hallpath, :centre, :centrepath, array[:hallpath, :centrepath], 'default.complaint',
    jsonb_build_object('resolution', jsonb_build_object('clock', 'workdays', 'minutes', 2880)),
    '[{"level":"warn_owner","at":0.8}]', '["waiting_customer"]', :hall, now() + interval '1 hour',
    now() + interval '2 days', now())
  returning id
), t as (
  insert into work_order_timers (id, province_id, order_id, what, due_at)
  select gen_random_uuid(), :province, o.id, w, now() + interval '1 hour' from o, unnest(array['response', 'escalation' || chr(58) || 'warn_owner']) w
), s as (
  insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  select gen_random_uuid(), o.id, now(), 'created', '朱红', :hall, '客户反映', jsonb_build_object('kind', 'complaint') from o
), e as (
  insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
    subject_id, after)
  select :province, gen_random_uuid(), now(), 'staff', '朱红', :centre, :centrepath, 'workorder.created',
    'work_order', o.id::text, jsonb_build_object('kind', 'complaint') from o
)
select id as wo from o \gset

-- claim
update work_orders set assignee_staff_id = :agent, assignee_name = '萧然', state = 'assigned',
  first_response_at = now(), version = version + 1 where province_id = :province and id = :wo;
delete from work_order_timers where order_id = :wo and what = 'response' and fired_at is null;
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'claimed', '萧然', :centre, '', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '萧然', :centre, :centrepath, 'workorder.claimed',
    'work_order', :wo, '{}');

-- dispatch: the hop and its due-time row
with h as (
  insert into work_order_hops (id, order_id, from_unit_id, to_unit_id, to_unit_path, sent_by, sent_by_staff_id,
    sent_at, due_at, note)
  values (gen_random_uuid(), :wo, :centre, :dept, :deptpath, '萧然', :agent, now(), now() + interval '1 day', '请核查')
  returning id
)
insert into work_order_timers (id, province_id, order_id, what, due_at)
  select gen_random_uuid(), :province, :wo, 'hop' || chr(58) || h.id, now() + interval '1 day' from h;
update work_orders set handling_unit_id = :dept, handling_unit_path = :deptpath, assignee_staff_id = null,
  assignee_name = null, state = 'dispatched', paths = array_append(paths, :deptpath), version = version + 1
  where province_id = :province and id = :wo;
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'dispatched', '萧然', :centre, '请核查', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '萧然', :dept, :deptpath, 'workorder.dispatched',
    'work_order', :wo, '{}');

-- the department answers back up
update work_order_hops set answered_at = now(), answer = '已修复' where order_id = :wo and answered_at is null;
delete from work_order_timers where order_id = :wo and starts_with(what, 'hop') and fired_at is null;
update work_orders set handling_unit_id = :centre, handling_unit_path = :centrepath, assignee_staff_id = :agent,
  assignee_name = '萧然', state = 'assigned', version = version + 1 where province_id = :province and id = :wo;
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'hop_answered', '范磊', :dept, '已修复', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '范磊', :centre, :centrepath, 'workorder.hop_answered',
    'work_order', :wo, '{}');

-- the centre handles it
update work_orders set state = 'answered', answered_at = now(), version = version + 1
  where province_id = :province and id = :wo;
delete from work_order_timers where order_id = :wo and fired_at is null;
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'answered', '萧然', :centre, '已处理', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '萧然', :centre, :centrepath, 'workorder.answered',
    'work_order', :wo, '{}');

-- the owner replies: the SMS queued with its event
update work_orders set state = 'replied', replied_at = now(), reply_text = '已处理', version = version + 1
  where province_id = :province and id = :wo;
insert into notify_messages (id, province_id, unit_id, unit_path, channel, recipient, template, params, body,
  status, next_attempt_at, created_at)
  values (gen_random_uuid(), :province, :hall, :hallpath, 'sms', '13900000000', 'workorder.reply', '{}',
    '您的工单已处理', 'pending', now(), now());
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '朱红', :hall, :hallpath, 'notify.queued',
    'notify_message', :wo, '{}');
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'replied', '朱红', :hall, '已处理', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '朱红', :centre, :centrepath, 'workorder.replied',
    'work_order', :wo, '{}');

-- close
update work_orders set state = 'closed', closed_at = now(), version = version + 1
  where province_id = :province and id = :wo;
insert into work_order_steps (id, order_id, at, step, actor_name, unit_id, text, details)
  values (gen_random_uuid(), :wo, now(), 'closed', '朱红', :hall, '', '{}');
insert into events (province_id, id, at, actor_kind, actor_name, unit_id, unit_path, action, subject_type,
  subject_id, after)
  values (:province, gen_random_uuid(), now(), 'staff', '朱红', :centre, :centrepath, 'workorder.closed',
    'work_order', :wo, '{}');
