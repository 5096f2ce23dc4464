-- Collations made with CREATE COLLATION are compared (provider, locale, deterministic) and
-- created before, and dropped after, the columns and domains that use them.
create collation public.posix_copy from "POSIX";
create collation public.plain_c (provider = libc, locale = 'C');
create table public.words (a text, b text collate public.posix_copy);
