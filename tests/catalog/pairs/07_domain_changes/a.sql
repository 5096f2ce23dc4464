create domain public.email as text check (value ~ '@');
create domain public.score as integer default 0 constraint score_range check (value between 0 and 10);
create domain public.gone as text;
