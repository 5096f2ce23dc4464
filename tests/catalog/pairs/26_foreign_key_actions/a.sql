create table public.users (id int primary key);
create table public.orgs (id int primary key);
create table public.posts (
  id int primary key,
  user_id int constraint posts_user_id_fkey references public.users (id),
  org_id int constraint posts_org_id_fkey references public.orgs (id) on delete cascade,
  editor_id int
);
