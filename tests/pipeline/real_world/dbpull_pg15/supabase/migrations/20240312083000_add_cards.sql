create table "public"."cards" (
    "id" uuid not null default gen_random_uuid(),
    "board_id" bigint not null,
    "body" text,
    "position" integer not null default 0,
    "created_at" timestamp with time zone not null default now()
);


alter table "public"."cards" enable row level security;

CREATE UNIQUE INDEX cards_pkey ON public.cards USING btree (id);

CREATE INDEX cards_board_id_position_idx ON public.cards USING btree (board_id, "position");

alter table "public"."cards" add constraint "cards_pkey" PRIMARY KEY using index "cards_pkey";

alter table "public"."cards" add constraint "cards_board_id_fkey" FOREIGN KEY (board_id) REFERENCES boards(id) ON DELETE CASCADE not valid;

alter table "public"."cards" validate constraint "cards_board_id_fkey";

grant delete on table "public"."cards" to "anon";

grant insert on table "public"."cards" to "anon";

grant references on table "public"."cards" to "anon";

grant select on table "public"."cards" to "anon";

grant trigger on table "public"."cards" to "anon";

grant truncate on table "public"."cards" to "anon";

grant update on table "public"."cards" to "anon";

grant delete on table "public"."cards" to "authenticated";

grant insert on table "public"."cards" to "authenticated";

grant references on table "public"."cards" to "authenticated";

grant select on table "public"."cards" to "authenticated";

grant trigger on table "public"."cards" to "authenticated";

grant truncate on table "public"."cards" to "authenticated";

grant update on table "public"."cards" to "authenticated";

grant delete on table "public"."cards" to "service_role";

grant insert on table "public"."cards" to "service_role";

grant references on table "public"."cards" to "service_role";

grant select on table "public"."cards" to "service_role";

grant trigger on table "public"."cards" to "service_role";

grant truncate on table "public"."cards" to "service_role";

grant update on table "public"."cards" to "service_role";

create policy "Board owners manage cards"
on "public"."cards"
as permissive
for all
to authenticated
using ((EXISTS ( SELECT 1
   FROM boards b
  WHERE ((b.id = cards.board_id) AND (b.owner_id = ( SELECT auth.uid() AS uid))))))
with check ((EXISTS ( SELECT 1
   FROM boards b
  WHERE ((b.id = cards.board_id) AND (b.owner_id = ( SELECT auth.uid() AS uid))))));



