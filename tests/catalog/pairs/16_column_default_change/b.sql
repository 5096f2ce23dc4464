create table public.tasks (
  id int primary key,
  state text default 'open',
  priority int default 3,
  created_at timestamptz default clock_timestamp(),
  due date
);
