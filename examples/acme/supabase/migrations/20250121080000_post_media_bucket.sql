-- Images attached to posts: a public bucket, one folder per user.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('post-media', 'post-media', true, 5242880, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do nothing;

create policy "Post media is publicly readable"
  on storage.objects for select
  to anon, authenticated
  using (bucket_id = 'post-media');

create policy "Users upload post media into their own folder"
  on storage.objects for insert
  to authenticated
  with check (
    bucket_id = 'post-media'
    and (storage.foldername(name))[1] = (select auth.uid()::text)
  );

create policy "Users replace their own post media"
  on storage.objects for update
  to authenticated
  using (bucket_id = 'post-media' and owner_id = (select auth.uid()::text))
  with check (bucket_id = 'post-media' and (storage.foldername(name))[1] = (select auth.uid()::text));

create policy "Users delete their own post media"
  on storage.objects for delete
  to authenticated
  using (bucket_id = 'post-media' and owner_id = (select auth.uid()::text));

alter table public.posts add column image_path text;
