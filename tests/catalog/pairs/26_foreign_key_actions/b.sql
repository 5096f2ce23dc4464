create table public.users (id int primary key);
create table public.orgs (id int primary key);
create table public.posts (
  id int primary key,
  user_id int constraint posts_user_id_fkey references public.users (id) on delete cascade on update restrict,
  org_id int constraint posts_org_id_fkey references public.orgs (id) on delete set null deferrable initially deferred,
  editor_id int constraint posts_editor_id_fkey references public.users (id) match full
);
