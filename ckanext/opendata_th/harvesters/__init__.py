"""Keeping this portal and the national catalogs (data.go.th, GD-Catalog)
identical: ``remote.py`` is the client of a remote CKAN catalog,
``datagoth.py`` the ckanext-harvest harvester that pulls from one
(plugin ``opendata_th_harvester``, source type ``datagoth``) and ``pull.py``
what its import stage writes here."""
