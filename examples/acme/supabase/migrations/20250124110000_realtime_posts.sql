-- Live timeline: stream post changes over Realtime.

alter table public.posts replica identity full;

alter publication supabase_realtime add table public.posts;
