select pgmq.create('welcome_email');

alter table pgmq.q_welcome_email enable row level security;
alter table pgmq.a_welcome_email enable row level security;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text,
  created_at timestamptz not null default now()
);

alter table public.profiles enable row level security;

create policy "profiles: read own" on public.profiles
  for select to authenticated
  using ((select auth.uid()) = id);

-- A new user gets a profile and a welcome email job; the worker (an edge function on a
-- cron schedule) reads the queue with pgmq.read and archives what it sent.
create or replace function public.on_signup() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, display_name)
  values (new.id, new.raw_user_meta_data ->> 'name');
  perform pgmq.send(
    queue_name => 'welcome_email',
    msg => jsonb_build_object('user_id', new.id, 'email', new.email)
  );
  return new;
end;
$$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.on_signup();
