-- pgrelease's audit table (docs/operations.md), created when the configured one is missing:
-- append-only, row level security on, no writes for the API roles.
create table {table} (
  id bigint generated always as identity primary key,
  actor text not null,
  action text not null,
  target text,
  details jsonb not null default '{{}}'::jsonb,
  created_at timestamptz not null default now()
);
create index on {table} (created_at desc);
create index on {table} (action);
alter table {table} enable row level security;
comment on table {table} is 'Append-only: who did what, to what, when (deployments, flag changes). Created by pgrelease.';
