create table public.posts (id int primary key, title text, body text, secret text);
create table public.drafts (id int primary key);
grant select on public.posts to anon;
grant all on public.drafts to anon;
