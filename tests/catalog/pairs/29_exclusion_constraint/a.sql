create table public.bookings (id int primary key, room int, during tstzrange);
