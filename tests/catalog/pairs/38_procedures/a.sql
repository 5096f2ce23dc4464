create table public.audit (id serial primary key, msg text);
create procedure public.log_msg(m text) language sql as $$ insert into public.audit (msg) values (m) $$;
