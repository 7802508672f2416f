"""PostgreSQL search backend for CKAN (plugin ``opendata_th_search``)."""
