create table public.posts (
  id integer primary key,
  title varchar(100),
  score integer,
  price numeric(10, 2),
  published date
);
