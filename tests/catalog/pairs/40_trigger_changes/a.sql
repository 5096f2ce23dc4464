create table public.posts (id int primary key, title text, updated_at timestamptz);
create function public.set_updated_at() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
create function public.audit() returns trigger language plpgsql as $$ begin return null; end $$;
create trigger posts_updated before update on public.posts for each row execute function public.set_updated_at();
create trigger posts_audit after insert on public.posts for each row execute function public.audit();
create trigger posts_gone after delete on public.posts for each statement execute function public.audit();
