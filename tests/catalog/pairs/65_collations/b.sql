create collation public.plain_c (provider = libc, locale = 'C');
create schema lingo;
create collation lingo.mixed (provider = libc, lc_collate = 'C.UTF-8', lc_ctype = 'C');
create table public.words (a text, b text collate public.plain_c, c text collate lingo.mixed);
create domain public.word as text collate public.plain_c;
