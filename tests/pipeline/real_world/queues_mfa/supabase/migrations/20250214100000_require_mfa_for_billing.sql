create schema if not exists private;

-- True when the caller has no verified second factor yet, or signed in with one (aal2).
create or replace function private.mfa_satisfied()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt() ->> 'aal'), 'aal1') = 'aal2'
      or not exists (
           select 1
             from auth.mfa_factors f
            where f.user_id = (select auth.uid())
              and f.status = 'verified'
         );
$$;

create table public.billing_details (
  user_id uuid primary key references auth.users (id) on delete cascade,
  vat_number text,
  address jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);

alter table public.billing_details enable row level security;

create policy "billing: owner with mfa" on public.billing_details
  as restrictive
  for all to authenticated
  using (private.mfa_satisfied())
  with check (private.mfa_satisfied());

create policy "billing: owner" on public.billing_details
  for all to authenticated
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id);
