-- pgrelease: no-transaction
-- Fuzzy title search with a trigram index, built without blocking writes to posts.

create extension if not exists pg_trgm with schema extensions;

create index concurrently if not exists posts_title_trgm_idx
  on public.posts using gin (title extensions.gin_trgm_ops);

create or replace function public.search_posts(q text)
returns setof public.posts
language sql
stable
set search_path = ''
as $$
  select *
    from public.posts
   where status = 'published'
     and title ilike '%' || q || '%'
   order by extensions.similarity(title, q) desc, published_at desc
   limit 50;
$$;
