-- pgrelease: no-transaction
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: this file runs in autocommit.
create index concurrently if not exists posts_author_id_created_at_idx
  on public.posts (author_id, created_at desc);
