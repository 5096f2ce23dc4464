create table public.posts (id int primary key, title text, body text, secret text);
create table public.drafts (id int primary key);
grant select on public.posts to anon, authenticated;
grant insert, update, delete on public.posts to authenticated;
grant update (title, body) on public.posts to anon;
grant select on public.drafts to service_role with grant option;
