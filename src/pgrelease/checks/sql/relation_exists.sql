-- Does the relation exist (resolved through search_path when not schema-qualified)?
select to_regclass(%(relation)s::text) is not null as present
