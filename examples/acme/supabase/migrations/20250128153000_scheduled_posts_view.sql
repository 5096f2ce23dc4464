-- pgrelease: no-transaction
-- The bot's work queue. security_invoker: the caller's RLS applies, not the view owner's.

create or replace view public.scheduled_posts
with (security_invoker = true)
as
  select p.id, p.author_id, pr.username, p.title, p.scheduled_for
    from public.posts p
    join public.profiles pr on pr.id = p.author_id
   where p.status = 'scheduled'
     and p.scheduled_for is not null;

create index concurrently if not exists posts_scheduled_for_idx on public.posts (scheduled_for)
  where status = 'scheduled';
