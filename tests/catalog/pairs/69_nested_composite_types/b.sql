create domain public.label_text as text check (value <> '');
create type public.z_item as (id int, name public.label_text);
create type public.b_box as (items public.z_item[], total int);
create type public.a_crate as (box public.b_box, note text collate "C");
