-- Append-only audit trail: deployments, moderation actions, flag changes.

create table public.audit_log (
  id bigint generated always as identity primary key,
  actor text not null,
  action text not null,
  target text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create index audit_log_created_at_idx on public.audit_log (created_at desc);
create index audit_log_action_idx on public.audit_log (action);

alter table public.audit_log enable row level security;

-- Written by the service role and by security-definer functions only; never changed.
revoke update, delete, truncate on public.audit_log from anon, authenticated;

comment on table public.audit_log is 'Append-only: who did what, to what, when.';
