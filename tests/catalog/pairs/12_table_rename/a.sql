create table public.profiles (id uuid primary key, display_name text, bio text);
