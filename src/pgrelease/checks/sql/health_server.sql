select current_setting('server_version') as server_version,
       current_setting('server_version_num')::int as server_version_num
