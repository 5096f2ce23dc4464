create table public.memberships (org_id int not null, user_id int not null, role text, constraint memberships_pkey primary key (org_id, user_id));
