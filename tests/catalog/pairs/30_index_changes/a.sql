create table public.docs (id int primary key, title text, slug text, body text, deleted boolean, created_at timestamptz);
create index docs_title_idx on public.docs (title);
create index docs_slug_idx on public.docs (slug);
create index docs_live_idx on public.docs (created_at) where not deleted;
create index docs_body_idx on public.docs using btree (body);
