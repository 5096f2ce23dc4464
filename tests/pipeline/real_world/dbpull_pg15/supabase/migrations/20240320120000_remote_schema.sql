alter table "public"."members" add column "avatar_path" text;

set check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.board_count(member uuid)
 RETURNS integer
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select count(*)::integer from public.boards where owner_id = member
$function$
;

--
-- Dumped schema changes for auth and storage
--

CREATE OR REPLACE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION handle_new_member();

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 1048576, array['image/png', 'image/jpeg'])
on conflict (id) do nothing;

create policy "Avatar images are publicly accessible"
on "storage"."objects"
as permissive
for select
to public
using ((bucket_id = 'avatars'::text));

create policy "Members upload their own avatar"
on "storage"."objects"
as permissive
for insert
to authenticated
with check (((bucket_id = 'avatars'::text) AND ((storage.foldername(name))[1] = (( SELECT auth.uid() AS uid))::text)));

