create table public.messages (id int primary key, room int, body text);
create table public.rooms (id int primary key, name text);
create table public.presence (id int primary key);
create publication live for table public.messages, public.presence;
create publication old_pub for table public.rooms;
