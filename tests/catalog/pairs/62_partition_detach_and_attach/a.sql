-- A partition that is detached keeps its columns (they are not dropped and added again),
-- and what it had from its parent (index, check) goes. A table that becomes partitioned is
-- rebuilt: its serial sequence and the ordinary table that becomes its partition survive.
create table public.measurement (city_id int not null, logdate date not null, peaktemp int) partition by range (logdate);
create table public.measurement_2006_02 partition of public.measurement for values from ('2006-02-01') to ('2006-03-01');
create table public.measurement_2006_03 partition of public.measurement for values from ('2006-03-01') to ('2006-04-01');
create index measurement_logdate_idx on public.measurement (logdate);
alter table public.measurement add constraint measurement_peak_check check (peaktemp > -100);
create table public.events (id serial, kind text not null, primary key (id));
create table public.events_x (id int not null, kind text not null);
