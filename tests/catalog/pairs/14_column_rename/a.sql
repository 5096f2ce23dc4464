create table public.posts (id int primary key, title text not null, body text);
