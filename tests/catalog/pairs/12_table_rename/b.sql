create table public.user_profiles (id uuid primary key, display_name text, bio text);
