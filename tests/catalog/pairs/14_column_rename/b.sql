create table public.posts (id int primary key, headline text not null, body text);
