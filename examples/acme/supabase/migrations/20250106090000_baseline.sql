-- Acme social bot: configuration and feature flags (schema version 1.0.0).
--
-- bot_config holds one row per (config_key, environment). The application's schema guard
-- reads config_key = 'schema_version'; operators flip flags in config_key = 'feature_flags'
-- with jsonb_set(config_value, '{flag}', 'false').

create table public.bot_config (
  id bigint generated always as identity primary key,
  config_key text not null,
  environment text not null check (environment in ('staging', 'production')),
  config_value jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now(),
  constraint bot_config_config_key_environment_key unique (config_key, environment)
);

comment on table public.bot_config is 'Per-environment bot configuration: schema_version, feature_flags, ...';

create or replace function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger bot_config_set_updated_at
  before update on public.bot_config
  for each row execute function public.set_updated_at();

alter table public.bot_config enable row level security;

-- The app reads flags with the anon key before sign-in; nobody writes through the API.
create policy "Feature flags are readable"
  on public.bot_config for select
  to anon, authenticated
  using (config_key = 'feature_flags');

insert into public.bot_config (config_key, environment, config_value) values
  ('schema_version', 'staging',
   jsonb_build_object('version', '1.0.0', 'migration', '0001_baseline', 'timestamp', '2025-01-06T09:00:00Z')),
  ('schema_version', 'production',
   jsonb_build_object('version', '1.0.0', 'migration', '0001_baseline', 'timestamp', '2025-01-06T09:00:00Z')),
  ('feature_flags', 'staging',
   '{"autonomous_posting": true, "scheduled_posts": true, "image_uploads": true}'::jsonb),
  ('feature_flags', 'production',
   '{"autonomous_posting": false, "scheduled_posts": true, "image_uploads": false}'::jsonb);
