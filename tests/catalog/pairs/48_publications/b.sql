create table public.messages (id int primary key, room int, body text);
create table public.rooms (id int primary key, name text);
create table public.presence (id int primary key);
create publication live for table public.messages (id, room, body) where (room > 0), public.rooms with (publish = 'insert, update');
create publication everything for all tables;
