-- publish_post(): the only way a post becomes published; records who published it.

create or replace function public.publish_post(p_post_id uuid)
returns public.posts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_post public.posts;
  v_caller uuid := auth.uid();
begin
  select * into v_post from public.posts where id = p_post_id for update;

  if not found then
    raise exception 'post % does not exist', p_post_id using errcode = 'P0002';
  end if;

  if v_caller is distinct from v_post.author_id
     and not exists (select 1 from public.profiles p where p.id = v_caller and p.role in ('moderator', 'admin')) then
    raise exception 'only the author or a moderator may publish post %', p_post_id using errcode = '42501';
  end if;

  update public.posts
     set status = 'published', published_at = coalesce(published_at, now())
   where id = p_post_id
  returning * into v_post;

  insert into public.audit_log (actor, action, target, details)
  values (coalesce(v_caller::text, 'system'), 'post.publish', p_post_id::text,
          jsonb_build_object('title', v_post.title));

  return v_post;
end;
$$;

revoke execute on function public.publish_post(uuid) from public, anon;
grant execute on function public.publish_post(uuid) to authenticated, service_role;
