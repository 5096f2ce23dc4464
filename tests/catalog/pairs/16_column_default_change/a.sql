create table public.tasks (
  id int primary key,
  state text default 'new',
  priority int,
  created_at timestamptz default now(),
  due date default current_date
);
