create domain public.email as text not null constraint email_check check (value ~ '^[^@]+@[^@]+$');
create domain public.score as integer default 5 constraint score_range check (value between 0 and 100);
create domain public.slug as text check (value ~ '^[a-z0-9-]+$');
