-- pg_net was enabled from the dashboard: this file grants on schema net before any migration
-- creates the extension (the shape of dncar13/amiram-5570e405's
-- supabase/migrations/20250805120001_add_welcome_email_trigger.sql)
create table public.email_logs (
  id bigserial primary key,
  user_id uuid references auth.users (id) on delete cascade,
  email_type text not null,
  created_at timestamptz default now()
);
alter table public.email_logs enable row level security;

create or replace function public.send_immediate_welcome_email() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  perform net.http_post(url := 'https://example.invalid/functions/v1/welcome', body := jsonb_build_object('id', new.id));
  insert into public.email_logs (user_id, email_type) values (new.id, 'welcome');
  return new;
end
$$;

drop trigger if exists on_user_created_send_welcome_email on auth.users;
create trigger on_user_created_send_welcome_email
  after insert on auth.users
  for each row execute function public.send_immediate_welcome_email();

grant usage on schema net to postgres, anon, authenticated, service_role;
