create type public.status as enum ('draft', 'published');
create table public.docs (id int primary key, status public.status not null default 'draft', history public.status[]);
