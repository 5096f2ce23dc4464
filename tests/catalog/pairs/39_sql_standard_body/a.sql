create table public.scores (id int primary key, points int);
create function public.top_score() returns int language sql stable
begin atomic
  select max(points) from public.scores;
end;
