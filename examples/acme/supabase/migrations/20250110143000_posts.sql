-- Posts written by users or by the bot, with draft/scheduled/published states.

create type public.post_status as enum ('draft', 'scheduled', 'published', 'archived');

create table public.posts (
  id uuid primary key default gen_random_uuid(),
  author_id uuid not null references public.profiles (id) on delete cascade,
  title text not null check (char_length(title) <= 280),
  body text,
  status public.post_status not null default 'draft',
  scheduled_for timestamptz,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint scheduled_posts_have_a_time check (status <> 'scheduled' or scheduled_for is not null)
);

create trigger posts_set_updated_at
  before update on public.posts
  for each row execute function public.set_updated_at();

alter table public.posts enable row level security;

create policy "Published posts are public"
  on public.posts for select
  to anon, authenticated
  using (status = 'published');

create policy "Authors see their own posts"
  on public.posts for select
  to authenticated
  using ((select auth.uid()) = author_id);

create policy "Authors create their own posts"
  on public.posts for insert
  to authenticated
  with check ((select auth.uid()) = author_id);

create policy "Authors update their own posts"
  on public.posts for update
  to authenticated
  using ((select auth.uid()) = author_id)
  with check ((select auth.uid()) = author_id);

create policy "Authors delete their own posts"
  on public.posts for delete
  to authenticated
  using ((select auth.uid()) = author_id);
