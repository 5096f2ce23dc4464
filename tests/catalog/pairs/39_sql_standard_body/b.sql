create table public.scores (id int primary key, points int);
create function public.top_score() returns int language sql stable
begin atomic
  select coalesce(max(points), 0) from public.scores;
end;
create function public.score_count() returns bigint language sql stable
return (select count(*) from public.scores);
