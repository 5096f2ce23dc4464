-- Reactions, behind the "reactions" flag (on in staging, off in production).

create table public.post_reactions (
  id uuid primary key default extensions.uuid_generate_v4(),
  post_id uuid not null references public.posts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  emoji text not null check (char_length(emoji) between 1 and 16),
  created_at timestamptz not null default now(),
  constraint post_reactions_once unique (post_id, user_id, emoji)
);

create index post_reactions_user_id_idx on public.post_reactions (user_id);

alter table public.post_reactions enable row level security;

create policy "Reactions on published posts are public"
  on public.post_reactions for select
  to anon, authenticated
  using (exists (select 1 from public.posts p where p.id = post_id and p.status = 'published'));

create policy "Users react as themselves"
  on public.post_reactions for insert
  to authenticated
  with check ((select auth.uid()) = user_id);

create policy "Users remove their own reactions"
  on public.post_reactions for delete
  to authenticated
  using ((select auth.uid()) = user_id);

update public.bot_config
   set config_value = jsonb_set(config_value, '{reactions}', to_jsonb(environment = 'staging'))
 where config_key = 'feature_flags';
