create table public.docs (id int primary key, title text, slug text, body text, deleted boolean, created_at timestamptz);
create index docs_title_idx on public.docs (lower(title));
create unique index docs_slug_idx on public.docs (slug);
create index docs_live_idx on public.docs (created_at desc) where deleted is not true;
create index docs_body_idx on public.docs using hash (body);
create index docs_created_idx on public.docs (created_at) include (title);
