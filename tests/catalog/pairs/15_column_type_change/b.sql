create table public.posts (
  id bigint primary key,
  title text,
  score bigint,
  price numeric(12, 4),
  published timestamp with time zone
);
