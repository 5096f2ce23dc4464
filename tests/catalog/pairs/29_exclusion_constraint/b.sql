create table public.bookings (id int primary key, room int, during tstzrange,
  constraint bookings_no_overlap exclude using gist (during with &&));
